"""What every operation handler shares: the request context, references in and out, echoes, strictness."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

from airecruiter.sandbox.chaos import Chaos
from airecruiter.sandbox.faults import ValidationFault, invalid_id_type, invalid_id_value
from airecruiter.sandbox.paging import SnapshotStore
from airecruiter.sandbox.tenant import ID_TYPES, Tenant
from airecruiter.sandbox.xmlutil import (
    WD,
    child,
    children,
    format_bool,
    is_wd,
    local_name,
    parse_bool,
    sub,
    wd_attribute,
    wd_children,
)


@dataclass
class Context:
    """One SOAP request being answered."""

    tenant: Tenant
    chaos: Chaos
    snapshots: SnapshotStore
    version: str
    request: etree._Element  # the {Op}_Request element
    descriptors: bool  # Include_Reference_Descriptors_In_Response
    now: datetime

    @property
    def operation(self) -> str:
        """The operation name, e.g. Get_Candidates."""
        return local_name(self.request).removesuffix("_Request")


# strictness ------------------------------------------------------------------------------------------------


def check_children(element: etree._Element, allowed: Iterable[str]) -> None:
    """Refuse children a schema-validating endpoint would refuse: unknown names, or outside the Workday namespace."""
    names = set(allowed)
    for node in wd_children(element):
        if not is_wd(node):
            raise ValidationFault.at(
                f"Invalid request: element '{etree.QName(node).localname}' is not in the urn:com.workday/bsvc "
                f"namespace",
                element,
            )
        if local_name(node) not in names:
            raise ValidationFault.at(
                f"Invalid request: unexpected element '{local_name(node)}' in {local_name(element)}", node
            )


def flag(group: etree._Element | None, name: str, default: bool) -> bool:
    """A boolean flag of a Response_Group (true/false/1/0); a malformed value is a validation fault."""
    if group is None:
        return default
    element = child(group, name)
    if element is None:
        return default
    value = parse_bool(element.text)
    if value is None:
        raise ValidationFault.at(
            f"Invalid value '{(element.text or '').strip()}' for {name}: expected true or false", element
        )
    return value


# references ------------------------------------------------------------------------------------------------


def resolve(ctx: Context, ref: etree._Element, kind: str, *, skip: bool = False) -> Any | None:
    """The object a *_Reference names (first ID that resolves wins); faults as spec 9.3, None when skipped."""
    ids = children(ref, "ID")
    if not ids:
        raise ValidationFault.at(f"Invalid request: {local_name(ref)} must contain at least one ID", ref)
    first: tuple[str, str] | None = None
    for element in ids:
        id_type = (wd_attribute(element, "type") or "").strip()
        value = (element.text or "").strip()
        if id_type not in ID_TYPES[kind]:
            raise invalid_id_type(id_type, kind, ref)
        found = ctx.tenant.resolve(kind, id_type, value)
        if found is not None:
            return found
        first = first or (value, id_type)
    if skip:
        return None
    assert first is not None
    raise invalid_id_value(first[0], first[1], ref)


def require(ctx: Context, ref: etree._Element, kind: str) -> Any:
    """Like `resolve`, for a reference that must resolve (an unknown one is a validation fault)."""
    found = resolve(ctx, ref, kind)
    assert found is not None  # resolve without skip faults instead of returning None
    return found


def resolve_all(ctx: Context, parent: etree._Element, name: str, kind: str, *, skip: bool = False) -> list[Any]:
    """Every object named by the `name` references under `parent` (unresolvable ones dropped when skipping)."""
    found = []
    for ref in children(parent, name):
        obj = resolve(ctx, ref, kind, skip=skip)
        if obj is not None:
            found.append(obj)
    return found


def skip_missing(references: etree._Element) -> bool:
    """Request_References/@Skip_Non_Existing_Instances."""
    return parse_bool(wd_attribute(references, "Skip_Non_Existing_Instances")) is True


def add_ref(
    ctx: Context, parent: etree._Element, name: str, ids: Iterable[tuple[str, str]], descriptor: str | None = None
) -> etree._Element:
    """Write a reference: WID first, then business ids; a Descriptor only when the header asked for them."""
    ref = sub(parent, name)
    if ctx.descriptors and descriptor is not None:
        ref.set(WD + "Descriptor", descriptor)
    for id_type, value in ids:
        sub(ref, "ID", value).set(WD + "type", id_type)
    return ref


def add_lookup_ref(ctx: Context, parent: etree._Element, name: str, lookup: Any) -> etree._Element:
    """Reference to a Lookup (stage, status, disposition, source, mime type, category)."""
    return add_ref(ctx, parent, name, [("WID", lookup.wid), (lookup.id_type, lookup.value)], lookup.name)


# echo ------------------------------------------------------------------------------------------------------


def echo(parent: etree._Element, element: etree._Element | None, *, booleans: bool = False) -> None:
    """Copy a request element into the response under the wd prefix; `booleans` rewrites true/false as 1/0."""
    if element is None:
        return
    parent.append(_copy(element, booleans))


def _copy(element: etree._Element, booleans: bool) -> etree._Element:
    copy = etree.Element(element.tag if is_wd(element) else WD + local_name(element))
    for key, value in element.attrib.items():
        name = etree.QName(key)
        copy.set(WD + name.localname if name.namespace else name.localname, value)
    kids = wd_children(element)
    if kids:
        for kid in kids:
            copy.append(_copy(kid, booleans))
    elif element.text is not None and element.text.strip():
        text = element.text.strip()
        flag_value = parse_bool(text) if booleans else None
        copy.text = format_bool(flag_value) if flag_value is not None else text
    return copy


def canonical(element: etree._Element | None) -> tuple[Any, ...]:
    """A hashable, prefix- and whitespace-independent form of an element (the snapshot key)."""
    if element is None:
        return ()
    attributes = tuple(sorted((etree.QName(k).localname, v.strip()) for k, v in element.attrib.items()))
    kids = wd_children(element)
    body: tuple[Any, ...] = tuple(canonical(k) for k in kids) if kids else ((element.text or "").strip(),)
    return (local_name(element), attributes, body)
