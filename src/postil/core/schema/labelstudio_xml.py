"""Convert a Label Studio XML labeling config into a Postil schema document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, ParseError  # nosec B405  # defusedxml parses

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from postil.core.errors import InvalidError
from postil.core.schema.kinds import REGION_TYPES
from postil.core.schema.parse import parse_schema

OBJECT_TAGS = {
    "Image": "image",
    "Text": "text",
    "HyperText": "text",
    "Audio": "audio",
    "AudioPlus": "audio",
    "Video": "video",
}
LAYOUT_TAGS = {
    "View",
    "Header",
    "Style",
    "Filter",
    "Collapse",
    "Panel",
    "Label",
    "Choice",
    "Relation",
    "Hypertext",
    "Shortcut",
}
MAX_XML = 1_000_000

Doc = dict[str, Any]


def _truthy(element: Element, attribute: str, default: bool = False) -> bool:
    raw = element.get(attribute)
    return default if raw is None else raw.strip().lower() == "true"


def _label(element: Element) -> Doc | str:
    value = element.get("value") or element.get("alias") or ""
    label: Doc = {"value": value}
    for source, target in (("hotkey", "hotkey"), ("background", "color"), ("hint", "guideline")):
        if element.get(source):
            label[target] = element.get(source)
    alias = element.get("alias")
    if alias and alias != value:
        label["aliases"] = [alias]
    return label if len(label) > 1 else value


def _labels(element: Element, child_tag: str) -> list[Doc | str]:
    return [_label(child) for child in element.iter(child_tag)]


def _tree(element: Element) -> list[Doc]:
    nodes: list[Doc] = []
    for child in element:
        if child.tag == "Choice":
            node: Doc = {"value": child.get("value") or child.get("alias") or ""}
            children = _tree(child)
            if children:
                node["children"] = children
            nodes.append(node)
    return nodes


def _float(element: Element, attribute: str) -> float | None:
    raw = element.get(attribute)
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError as exc:
        raise InvalidError(f"<{element.tag}> {attribute}={raw!r} is not a number") from exc


def _choices(e: Element, kind: str) -> Doc:
    return {"labels": _labels(e, "Choice"), "multiple": e.get("choice") == "multiple"}


def _rating(e: Element, kind: str) -> Doc:
    top = _float(e, "maxRating")
    return {} if top is None else {"max": top}


def _number(e: Element, kind: str) -> Doc:
    found = {key: _float(e, key) for key in ("min", "max", "step")}
    return {key: value for key, value in found.items() if value is not None}


def _textarea(e: Element, kind: str) -> Doc:
    return {"per_region": True} if _truthy(e, "perRegion") else {}


def _taxonomy(e: Element, kind: str) -> Doc:
    return {"taxonomy": _tree(e), "multiple": e.get("maxUsages") != "1"}


def _region(e: Element, kind: str) -> Doc:
    spec: Doc = {"labels": _labels(e, "Label")}
    if kind == "box":
        spec["rotation"] = _truthy(e, "canRotate", default=True)
    return spec


ControlReader = Callable[[Element, str], Doc]

# Label Studio tag -> (Postil type, or None when it depends on the object; option reader)
CONTROL_TAGS: dict[str, tuple[str | None, ControlReader]] = {
    "Choices": ("choices", _choices),
    "Rating": ("rating", _rating),
    "Number": ("number", _number),
    "TextArea": ("textarea", _textarea),
    "Taxonomy": ("taxonomy", _taxonomy),
    "RectangleLabels": ("box", _region),
    "Rectangle": ("box", _region),
    "PolygonLabels": ("polygon", _region),
    "Polygon": ("polygon", _region),
    "KeyPointLabels": ("keypoints", _region),
    "KeyPoint": ("keypoints", _region),
    "BrushLabels": ("mask", _region),
    "Brush": ("mask", _region),
    "Labels": (None, _region),
    "VideoRectangle": ("track", _region),
    "Relations": ("relation", lambda e, kind: {"labels": _labels(e, "Relation")}),
}
_LABELS_BY_OBJECT = {"text": "span", "audio": "segment", "video": "segment"}


def _parse(xml: str) -> Element:
    if len(xml) > MAX_XML:
        raise InvalidError(f"the config is over {MAX_XML} characters")
    try:
        root: Element = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InvalidError("XML with a DOCTYPE or entities is refused") from exc
    except ParseError as exc:
        raise InvalidError(f"the config is not well-formed XML: {exc}") from exc
    return root


def _object(element: Element) -> Doc | None:
    value = element.get("value", "")
    if not value.startswith("$"):
        return None  # a literal, such as <Text value="Read this"/>, is layout
    name = element.get("name")
    if not name:
        raise InvalidError(f"<{element.tag}> needs a name")
    obj: Doc = {"name": name, "type": OBJECT_TAGS[element.tag]}
    if value[1:] != name:
        obj["value"] = value[1:]
    return obj


def _control(element: Element, objects: dict[str, Doc], html: set[str]) -> Doc:
    kind, reader = CONTROL_TAGS[element.tag]
    targets = [t.strip() for t in (element.get("toName") or "").split(",") if t.strip()]
    if kind != "relation" and not targets:
        raise InvalidError(f"<{element.tag} name={element.get('name')!r}> needs a toName")
    if kind is None and html.intersection(targets):
        raise InvalidError("<Labels> on <HyperText> (XPath ranges) is not supported")
    if kind is None:
        types = {objects[t]["type"] for t in targets if t in objects}
        kind = _LABELS_BY_OBJECT.get(types.pop()) if len(types) == 1 else None
        if kind is None:
            raise InvalidError(f"<Labels name={element.get('name')!r}> must label text or audio")
    control: Doc = {"name": element.get("name") or kind, "type": kind, "to": targets}
    control.update(reader(element, kind))
    if _truthy(element, "required"):
        control["required"] = True
    return control


def _refuse_unknown(element: Element) -> None:
    """Unknown layout tags are ignored; unknown controls and data objects are refused."""
    if element.get("toName") is not None:
        raise InvalidError(f"unsupported Label Studio control tag <{element.tag}>")
    if element.get("name") and element.get("value", "").startswith("$"):
        raise InvalidError(f"unsupported Label Studio object tag <{element.tag}>")


def _merge_labels_into_tracks(controls: list[Doc]) -> list[Doc]:
    """LS pairs <VideoRectangle> with a <Labels> on the same video: give the labels to the track."""
    merged: list[Doc] = []
    tracks = [c for c in controls if c["type"] == "track"]
    for control in controls:
        owner = next((t for t in tracks if t["to"] == control["to"]), None)
        if control["type"] == "segment" and owner is not None and not owner["labels"]:
            owner["labels"] = control["labels"]
        else:
            merged.append(control)
    return merged


def schema_from_labelstudio_xml(xml: str) -> dict[str, Any]:
    """A Postil schema document for a Label Studio config; InvalidError on unsupported parts."""
    root = _parse(xml)
    objects: dict[str, Doc] = {}
    html: set[str] = set()
    for element in root.iter():
        if element.tag in OBJECT_TAGS and (obj := _object(element)) is not None:
            objects[obj["name"]] = obj
            if element.tag == "HyperText":
                html.add(obj["name"])
    controls: list[Doc] = []
    for element in root.iter():
        if element.tag in CONTROL_TAGS:
            controls.append(_control(element, objects, html))
        elif element.tag not in OBJECT_TAGS and element.tag not in LAYOUT_TAGS:
            _refuse_unknown(element)
    controls = _merge_labels_into_tracks(controls)
    regions = [c["name"] for c in controls if c["type"] in REGION_TYPES]
    for control in controls:
        if control["type"] == "relation":
            control["to"] = regions
    doc: Doc = {"objects": list(objects.values()), "controls": controls}
    parse_schema(doc)  # the converted document must itself be a valid schema
    return doc
