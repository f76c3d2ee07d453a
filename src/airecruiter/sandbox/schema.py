"""The sandbox's own compact schema of the requests it handles, written from Workday's v46.0 XSD.

Workday's files stay outside the project; this module states, for the four Recruiting operations
the sandbox serves, what their XSD says: which elements, in which order, how often, which
(qualified) attributes, and which ID types each reference's `wd:enumeration` lists. A real tenant
validates every request against its schema before anything else and answers an invalid one with
Client.validationError (HTTP 500) naming what is wrong; `validate_request` does the same here.
tests/integration/test_sandbox_schema_agreement.py checks this schema against the real XSD.

Values (dates, numbers, booleans) are checked by the operations, with the messages they always had.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from airecruiter.sandbox.faults import ValidationFault, invalid_id_type
from airecruiter.sandbox.xmlutil import WD_NS, is_wd, local_name, wd_children


@dataclass(frozen=True)
class El:
    """An element: its name, simple type or 'complex', occurrences, wd: attributes and children."""

    name: str
    kind: str
    min: int = 0
    max: int | None = 1  # None: unbounded
    attributes: tuple[str, ...] = ()
    children: tuple[Particle, ...] = ()


@dataclass(frozen=True)
class Ref:
    """A reference element (`{name}/ID@wd:type`), with the ID types Workday lists for it."""

    name: str
    min: int
    max: int | None
    id_types: tuple[str, ...]


class Choice:
    """At most one of these alternatives (each optional) at this point of the sequence."""

    def __init__(self, *options: El | Ref) -> None:
        self.options = options

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Choice) and other.options == self.options

    def __hash__(self) -> int:
        return hash(self.options)

    def __repr__(self) -> str:
        return f"Choice{self.options!r}"

    @property
    def names(self) -> tuple[str, ...]:
        """The element names of the alternatives."""
        return tuple(o.name for o in self.options)


Particle = El | Ref | Choice


def _names(particles: tuple[Particle, ...]) -> set[str]:
    found: set[str] = set()
    for p in particles:
        found.update(p.names if isinstance(p, Choice) else (p.name,))
    return found


def _invalid(message: str, element: etree._Element) -> ValidationFault:
    return ValidationFault.at(f"Invalid request: {message}", element)


def _check_attributes(element: etree._Element, allowed: tuple[str, ...]) -> None:
    for key in element.attrib:
        qname = etree.QName(key)
        if qname.namespace is None and qname.localname in allowed:
            raise _invalid(
                f"attribute '{qname.localname}' of {local_name(element)} must be qualified (wd:{qname.localname})",
                element,
            )
        if qname.namespace != WD_NS or qname.localname not in allowed:
            raise _invalid(f"attribute '{qname.localname}' is not allowed on {local_name(element)}", element)


def _check_text(element: etree._Element) -> None:
    texts = [element.text, *(c.tail for c in element)]
    if any(t and t.strip() for t in texts):
        raise _invalid(f"{local_name(element)} holds text where only elements are allowed", element)


def _check_simple(element: etree._Element, spec: El) -> None:
    _check_attributes(element, spec.attributes)
    if len(element):
        raise _invalid(f"{spec.name} is a {spec.kind} and holds no elements", element)


def _check_ref(element: etree._Element, spec: Ref) -> None:
    _check_attributes(element, ("Descriptor",))
    _check_text(element)
    for node in wd_children(element):
        _check_namespace(node)
        if local_name(node) != "ID":
            raise _invalid(f"unexpected element '{local_name(node)}' in {spec.name}", node)
        _check_attributes(node, ("type",))
        id_type = node.get(f"{{{WD_NS}}}type")
        if id_type is None:
            raise _invalid(f"the ID in {spec.name} has no wd:type", node)
        if id_type not in spec.id_types:
            raise invalid_id_type(id_type, spec.name.removesuffix("_Reference"), node)
        if len(node):
            raise _invalid(f"the ID in {spec.name} holds elements", node)


def _check_namespace(node: etree._Element) -> None:
    if not is_wd(node):
        raise _invalid(f"element '{etree.QName(node).localname}' is not in the urn:com.workday/bsvc namespace", node)


def _check(element: etree._Element, spec: El | Ref) -> None:
    if isinstance(spec, Ref):
        _check_ref(element, spec)
    elif spec.kind != "complex":
        _check_simple(element, spec)
    else:
        _check_complex(element, spec)


def _check_complex(element: etree._Element, spec: El) -> None:
    _check_attributes(element, spec.attributes)
    _check_text(element)
    nodes = wd_children(element)
    for node in nodes:
        _check_namespace(node)
    known = _names(spec.children)
    i = 0
    for particle in spec.children:
        if isinstance(particle, Choice):
            chosen = next((o for o in particle.options if i < len(nodes) and local_name(nodes[i]) == o.name), None)
            if chosen is None:
                continue
            i = _consume(element, nodes, i, chosen)
            continue
        i = _consume(element, nodes, i, particle)
    if i < len(nodes):
        node = nodes[i]
        name = local_name(node)
        if name not in known:
            raise _invalid(f"unexpected element '{name}' in {spec.name}", node)
        for choice in (p for p in spec.children if isinstance(p, Choice) and name in p.names):
            if any(local_name(n) in choice.names for n in nodes[:i]):
                raise _invalid(f"send either {' or '.join(choice.names)}, not both", node)
        raise _invalid(f"element '{name}' is out of order, or repeated, in {spec.name}", node)


def _consume(parent: etree._Element, nodes: list[etree._Element], i: int, spec: El | Ref) -> int:
    count = 0
    while i < len(nodes) and local_name(nodes[i]) == spec.name and (spec.max is None or count < spec.max):
        _check(nodes[i], spec)
        count += 1
        i += 1
    if count < spec.min:
        raise _invalid(f"{spec.name} is required in {local_name(parent)}", parent)
    return i


def validate_request(request: etree._Element) -> None:
    """Refuse a request its operation's schema does not allow (ValidationFault naming the first problem)."""
    spec = REQUESTS.get(local_name(request))
    if spec is not None:
        _check(request, spec)


# --- the four requests, as the v46.0 XSD declares them ---------------------------------------------------

# Parts the XSD shares between operations, stated once.
TRANSACTION_LOG_CRITERIA = El(
    "Transaction_Log_Criteria_Data",
    "complex",
    0,
    None,
    attributes=(),
    children=(
        El(
            "Transaction_Date_Range_Data",
            "complex",
            0,
            1,
            attributes=(),
            children=(
                El("Updated_From", "dateTime", 0, 1),
                El("Updated_Through", "dateTime", 0, 1),
                El("Effective_From", "dateTime", 0, 1),
                El("Effective_Through", "dateTime", 0, 1),
            ),
        ),
        Choice(
            El(
                "Transaction_Type_References",
                "complex",
                0,
                1,
                attributes=(),
                children=(
                    Ref(
                        "Transaction_Type_Reference",
                        0,
                        None,
                        (
                            "WID",
                            "Business_Process_Type",
                            "Event_Lite_Type_ID",
                            "Reorganization_Activity_Type",
                        ),
                    ),
                ),
            ),
            Ref(
                "Subscriber_Reference",
                0,
                1,
                ("WID", "Integration_Service_Name", "Integration_System_ID"),
            ),
        ),
    ),
)
RESPONSE_FILTER = El(
    "Response_Filter",
    "complex",
    0,
    1,
    attributes=(),
    children=(
        El("As_Of_Effective_Date", "date", 0, 1),
        El("As_Of_Entry_DateTime", "dateTime", 0, 1),
        El("Page", "decimal", 0, 1),
        El("Count", "decimal", 0, 1),
    ),
)


GET_JOB_REQUISITIONS_REQUEST = El(
    "Get_Job_Requisitions_Request",
    "complex",
    1,
    1,
    attributes=("version",),
    children=(
        El(
            "Request_References",
            "complex",
            0,
            1,
            attributes=("Skip_Non_Existing_Instances",),
            children=(Ref("Job_Requisition_Reference", 1, None, ("WID", "Job_Requisition_ID")),),
        ),
        El(
            "Request_Criteria",
            "complex",
            0,
            1,
            attributes=(),
            children=(
                TRANSACTION_LOG_CRITERIA,
                Ref("Job_Requisition_Status_Reference", 0, None, ("WID", "Job_Requisition_Status_ID")),
                Ref("Supervisory_Organization_Reference", 0, None, ("WID", "Organization_Reference_ID")),
                El(
                    "Field_And_Parameter_Criteria_Data",
                    "complex",
                    0,
                    1,
                    attributes=(),
                    children=(Ref("Provider_Reference", 1, None, ("WID", "Integration_System_ID")),),
                ),
                Ref("Primary_Location_Reference", 0, None, ("WID", "Location_ID")),
                Ref("Additional_Locations_Reference", 0, None, ("WID", "Location_ID")),
            ),
        ),
        RESPONSE_FILTER,
        El(
            "Response_Group",
            "complex",
            0,
            1,
            attributes=(),
            children=(
                El("Include_Reference", "boolean", 0, 1),
                El("Include_Job_Requisition_Definition_Data", "boolean", 0, 1),
                El("Include_Job_Requisition_Restrictions_Data", "boolean", 0, 1),
                El("Include_Qualifications", "boolean", 0, 1),
                El("Include_Job_Requisition_Attachments", "boolean", 0, 1),
                El("Include_Organizations", "boolean", 0, 1),
                El("Include_Roles", "boolean", 0, 1),
            ),
        ),
    ),
)

GET_CANDIDATES_REQUEST = El(
    "Get_Candidates_Request",
    "complex",
    1,
    1,
    attributes=("version",),
    children=(
        Choice(
            El(
                "Request_References",
                "complex",
                0,
                1,
                attributes=("Skip_Non_Existing_Instances",),
                children=(Ref("Candidate_Reference", 1, None, ("WID", "Candidate_ID")),),
            ),
            El(
                "Request_Criteria",
                "complex",
                0,
                1,
                attributes=(),
                children=(
                    TRANSACTION_LOG_CRITERIA,
                    El("First_Name", "string", 0, 1),
                    El("Last_Name", "string", 0, 1),
                    El("Candidate_Email_Address", "string", 0, 1),
                    Ref("Pre-Hire_Reference", 0, None, ("WID", "Applicant_ID")),
                    Ref("Worker_Reference", 0, None, ("WID", "Contingent_Worker_ID", "Employee_ID")),
                    Ref("Job_Requisition_Reference", 0, None, ("WID", "Job_Requisition_ID")),
                    Ref("Recruiting_Stage_Reference", 0, None, ("WID", "Recruiting_Stage_ID")),
                    Ref("Applicant_Source_Reference", 0, None, ("WID", "Applicant_Source_ID")),
                    Ref("Candidate_Tag_Reference", 0, None, ("WID", "Candidate_Tag_ID")),
                    El("Applied_From", "dateTime", 0, 1),
                    El("Applied_Through", "dateTime", 0, 1),
                    El("Internal_Workers_Only", "boolean", 0, 1),
                    El("Created_From", "dateTime", 0, 1),
                    El("Created_Through", "dateTime", 0, 1),
                    Ref(
                        "Criteria_Match_Score_Category_Reference",
                        0,
                        None,
                        ("WID", "Job_Application_Skills_Match_Score_Category_ID"),
                    ),
                    Ref("Static_Candidate_Pool_Reference", 0, 1, ("WID", "Candidate_Pool_ID")),
                ),
            ),
        ),
        RESPONSE_FILTER,
        El(
            "Response_Group",
            "complex",
            0,
            1,
            attributes=(),
            children=(
                El("Include_Reference", "boolean", 0, 1),
                El("Exclude_All_Attachments", "boolean", 0, 1),
            ),
        ),
    ),
)

GET_CANDIDATE_ATTACHMENTS_REQUEST = El(
    "Get_Candidate_Attachments_Request",
    "complex",
    1,
    1,
    attributes=("version",),
    children=(
        El(
            "Request_References",
            "complex",
            0,
            1,
            attributes=("Skip_Non_Existing_Instances",),
            children=(Ref("Candidate_Attachment_Reference", 0, None, ("WID", "File_ID")),),
        ),
        El(
            "Request_Criteria",
            "complex",
            0,
            1,
            attributes=(),
            children=(Ref("Candidate_Reference", 0, None, ("WID", "Candidate_ID")),),
        ),
        RESPONSE_FILTER,
        El(
            "Response_Group",
            "complex",
            0,
            1,
            attributes=(),
            children=(El("Include_Reference", "boolean", 0, 1),),
        ),
    ),
)

PUT_CANDIDATE_ATTACHMENT_REQUEST = El(
    "Put_Candidate_Attachment_Request",
    "complex",
    1,
    1,
    attributes=("Add_Only", "version"),
    children=(
        Ref("Candidate_Reference", 0, 1, ("WID", "Candidate_ID")),
        El(
            "Prospect_Resume_Attachments_Data",
            "complex",
            0,
            1,
            attributes=(),
            children=(
                El(
                    "Resume_Attachments",
                    "complex",
                    0,
                    None,
                    attributes=(),
                    children=(
                        El("ID", "string", 0, 1),
                        El("Filename", "string", 1, 1),
                        El("File_Content", "base64Binary", 1, 1),
                        Ref("Mime_Type_Reference", 0, 1, ("WID", "Content_Type_ID")),
                        El("Comment", "string", 0, 1),
                    ),
                ),
            ),
        ),
        El(
            "Candidate_Attachment_Data",
            "complex",
            0,
            1,
            attributes=(),
            children=(
                Ref("Candidate_Attachment_Reference", 0, 1, ("WID", "File_ID")),
                El(
                    "Attachment_Data",
                    "complex",
                    0,
                    1,
                    attributes=(),
                    children=(
                        El("ID", "string", 0, 1),
                        El("Filename", "string", 1, 1),
                        El("File_Content", "base64Binary", 1, 1),
                        Ref("Mime_Type_Reference", 0, 1, ("WID", "Content_Type_ID")),
                        El("Comment", "string", 0, 1),
                    ),
                ),
                Ref(
                    "Document_Category_Reference",
                    1,
                    1,
                    ("WID", "Document_Category__Workday_Owned__ID", "Document_Category_ID"),
                ),
            ),
        ),
        El(
            "Job_Application_Attachment_Data",
            "complex",
            0,
            None,
            attributes=(),
            children=(
                Ref("Job_Requisition_Reference", 0, 1, ("WID", "Job_Requisition_ID")),
                Ref("Job_Application_Reference", 0, 1, ("WID", "Job_Application_ID")),
                El(
                    "Attachment_Data",
                    "complex",
                    1,
                    1,
                    attributes=(),
                    children=(
                        El("ID", "string", 0, 1),
                        El("Filename", "string", 1, 1),
                        El("File_Content", "base64Binary", 1, 1),
                        Ref("Mime_Type_Reference", 0, 1, ("WID", "Content_Type_ID")),
                        El("Comment", "string", 0, 1),
                    ),
                ),
            ),
        ),
    ),
)


REQUESTS = {
    spec.name: spec
    for spec in (
        GET_JOB_REQUISITIONS_REQUEST,
        GET_CANDIDATES_REQUEST,
        GET_CANDIDATE_ATTACHMENTS_REQUEST,
        PUT_CANDIDATE_ATTACHMENT_REQUEST,
    )
}
