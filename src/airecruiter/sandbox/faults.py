"""SOAP 1.1 faults exactly as Workday writes them (spec 7.1, fixtures F12–F16), and the exceptions behind them."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from airecruiter.sandbox.xmlutil import SOAP_NS, WD_NS, serialize, wd, xpath_of

# Parsed once from a template: lxml keeps the redundant xmlns:SOAP-ENV on Fault that Workday sends,
# which building the tree element by element would drop.
_TEMPLATE = etree.fromstring(
    f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_NS}"><SOAP-ENV:Body>'
    f'<SOAP-ENV:Fault xmlns:SOAP-ENV="{SOAP_NS}" xmlns:wd="{WD_NS}"/>'
    "</SOAP-ENV:Body></SOAP-ENV:Envelope>".encode()
)

UNEXPECTED_ERROR = "An unexpected error occurred."
NOT_AUTHORIZED = "The task submitted is not authorized."
# A version the tenant does not serve; and (despite its words) an operation the caller has no grant for.
UNSUPPORTED_VERSION = "Invalid request service version"
VERSION_INVALID = "The web service or version is invalid for the requested operation"


@dataclass(frozen=True)
class ValidationIssue:
    """One Validation_Error: its message, optional detail message and Xpath."""

    message: str
    detail: str | None = None
    xpath: str | None = None


class SoapFault(Exception):
    """A fault the sandbox answers with; subclasses know their faultcode and detail."""

    faultcode = "SOAP-ENV:Server"

    def faultstring(self) -> str:
        """The human text of the fault."""
        return str(self)

    def add_detail(self, fault: etree._Element) -> None:
        """Append the `detail` element, if the fault type has one."""

    def envelope(self) -> bytes:
        """The whole SOAP envelope of this fault."""
        root = copy.deepcopy(_TEMPLATE)
        fault = root[0][0]
        etree.SubElement(fault, "faultcode").text = self.faultcode
        etree.SubElement(fault, "faultstring").text = self.faultstring()
        self.add_detail(fault)
        return serialize(root)


class ValidationFault(SoapFault):
    """Client.validationError with one or more Validation_Error entries."""

    faultcode = "SOAP-ENV:Client.validationError"

    def __init__(self, *issues: ValidationIssue) -> None:
        super().__init__(issues[0].message)
        self.issues = issues

    @classmethod
    def at(cls, message: str, element: etree._Element | None = None) -> ValidationFault:
        """A validation fault about one element: Message, Detail_Message and Xpath as in F12/F13."""
        return cls(ValidationIssue(message, message, xpath_of(element) if element is not None else None))

    def faultstring(self) -> str:
        """'Validation error occurred. ' and the first message."""
        return f"Validation error occurred. {self.issues[0].message}"

    def add_detail(self, fault: etree._Element) -> None:
        """detail/wd:Validation_Fault/wd:Validation_Error{Message, Detail_Message?, Xpath?}."""
        holder = etree.SubElement(etree.SubElement(fault, "detail"), wd("Validation_Fault"))
        for issue in self.issues:
            error = etree.SubElement(holder, wd("Validation_Error"))
            etree.SubElement(error, wd("Message")).text = issue.message
            if issue.detail is not None:
                etree.SubElement(error, wd("Detail_Message")).text = issue.detail
            if issue.xpath is not None:
                etree.SubElement(error, wd("Xpath")).text = issue.xpath


class ProcessingFault(SoapFault):
    """Server.processingError with a Processing_Fault/Detail_Message."""

    faultcode = "SOAP-ENV:Server.processingError"

    def faultstring(self) -> str:
        """'Processing error occurred. ' and the message."""
        return f"Processing error occurred. {self}"

    def add_detail(self, fault: etree._Element) -> None:
        """detail/wd:Processing_Fault/wd:Detail_Message."""
        holder = etree.SubElement(etree.SubElement(fault, "detail"), wd("Processing_Fault"))
        etree.SubElement(holder, wd("Detail_Message")).text = str(self)


class AuthenticationFault(SoapFault):
    """Client.authenticationError, no detail (F15)."""

    faultcode = "SOAP-ENV:Client.authenticationError"

    def __init__(self) -> None:
        super().__init__("invalid username or password")


class ClientFault(SoapFault):
    """A bare SOAP-ENV:Client fault, for requests that are not a readable SOAP message."""

    faultcode = "SOAP-ENV:Client"


def version_fault() -> ValidationFault:
    """What a real tenant answers for a service version it does not serve (Message only)."""
    return ValidationFault(ValidationIssue(UNSUPPORTED_VERSION))


def not_granted_fault() -> ValidationFault:
    """What a real tenant answers when the caller lacks the grant for the operation (F16: Message only)."""
    return ValidationFault(ValidationIssue(VERSION_INVALID))


def invalid_id_value(value: str, id_type: str, element: etree._Element | None) -> ValidationFault:
    """Workday's text for a reference whose value does not exist (two spaces after 'value.')."""
    return ValidationFault.at(f"Invalid ID value.  '{value}' is not a valid ID value for type = '{id_type}'", element)


def invalid_id_type(id_type: str, kind: str, element: etree._Element | None) -> ValidationFault:
    """The sandbox's text for an ID type the referenced object does not have."""
    return ValidationFault.at(f"Invalid ID type '{id_type}' for {kind}", element)
