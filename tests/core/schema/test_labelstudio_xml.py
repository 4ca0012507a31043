"""Label Studio XML configs converted to Postil schema documents."""

from __future__ import annotations

import pytest

from postil.core.errors import InvalidError
from postil.core.schema import parse_schema
from postil.core.schema.labelstudio_xml import schema_from_labelstudio_xml

DETECTION = """
<View>
  <Header value="Select label and click the image to start"/>
  <Image name="image" value="$image" zoom="true"/>
  <RectangleLabels name="label" toName="image" canRotate="false">
    <Label value="Airplane" background="green" hotkey="a"/>
    <Label value="Car" background="#0000ff"/>
  </RectangleLabels>
  <Choices name="weather" toName="image" choice="multiple" required="true">
    <Choice value="Sunny"/><Choice value="Rainy" alias="rain"/>
  </Choices>
</View>
"""

NER_RELATIONS = """
<View>
  <Relations>
    <Relation value="org:founded_by"/>
    <Relation value="per:employee_of"/>
  </Relations>
  <Labels name="label" toName="text">
    <Label value="PER" background="red"/>
    <Label value="ORG" background="darkorange"/>
  </Labels>
  <Text name="text" value="$document"/>
</View>
"""

AUDIO = """
<View>
  <Labels name="speaker" toName="audio">
    <Label value="Speaker 1"/><Label value="Speaker 2"/>
  </Labels>
  <AudioPlus name="audio" value="$url"/>
  <TextArea name="transcription" toName="audio" perRegion="true" rows="2"/>
  <Rating name="quality" toName="audio" maxRating="10"/>
  <Number name="speakers" toName="audio" min="1" max="9"/>
</View>
"""


def test_image_detection_config() -> None:
    doc = schema_from_labelstudio_xml(DETECTION)
    assert doc["objects"] == [{"name": "image", "type": "image"}]
    box, weather = doc["controls"]
    assert box == {
        "name": "label",
        "type": "box",
        "to": ["image"],
        "rotation": False,
        "labels": [
            {"value": "Airplane", "hotkey": "a", "color": "green"},
            {"value": "Car", "color": "#0000ff"},
        ],
    }
    assert weather["multiple"] is True and weather["required"] is True
    assert weather["labels"] == ["Sunny", {"value": "Rainy", "aliases": ["rain"]}]


def test_rectangles_rotate_by_default_like_label_studio() -> None:
    xml = '<View><Image name="i" value="$img"/><Rectangle name="r" toName="i"/></View>'
    doc = schema_from_labelstudio_xml(xml)
    assert doc["objects"] == [{"name": "i", "type": "image", "value": "img"}]
    assert doc["controls"][0]["rotation"] is True


def test_text_labels_become_spans_and_relations_link_them() -> None:
    schema = parse_schema(schema_from_labelstudio_xml(NER_RELATIONS))
    assert schema.object("text").data_key == "document"
    assert schema.control("label").type == "span"
    relation = schema.control("relation")
    assert relation.to == ["label"]
    assert relation.label_values() == ["org:founded_by", "per:employee_of"]


def test_audio_labels_become_segments_with_per_region_transcripts() -> None:
    schema = parse_schema(schema_from_labelstudio_xml(AUDIO))
    assert schema.object("audio").type == "audio"
    assert schema.control("speaker").type == "segment"
    assert schema.control("transcription").per_region
    assert schema.control("quality").rating_max == 10
    assert (schema.control("speakers").min, schema.control("speakers").max) == (1, 9)


def test_video_rectangle_takes_the_labels_of_its_video() -> None:
    xml = """<View>
      <Video name="video" value="$video" framerate="25"/>
      <VideoRectangle name="box" toName="video"/>
      <Labels name="videoLabels" toName="video" allowEmpty="true">
        <Label value="Man" background="blue"/><Label value="Woman" background="red"/>
      </Labels></View>"""
    schema = parse_schema(schema_from_labelstudio_xml(xml))
    assert [c.name for c in schema.controls] == ["box"]
    assert schema.control("box").type == "track"
    assert schema.control("box").label_values() == ["Man", "Woman"]


def test_segmentation_keypoints_taxonomy_and_hypertext() -> None:
    xml = """<View>
      <Image name="img" value="$image"/>
      <PolygonLabels name="poly" toName="img"><Label value="Road"/></PolygonLabels>
      <BrushLabels name="brush" toName="img"><Label value="Sky"/></BrushLabels>
      <KeyPointLabels name="kp" toName="img"><Label value="Eye" hotkey="e"/></KeyPointLabels>
      <HyperText name="page" value="$html"/>
      <Taxonomy name="topic" toName="page">
        <Choice value="Science"><Choice value="Physics"/><Choice value="Biology"/></Choice>
        <Choice value="Art"/>
      </Taxonomy>
    </View>"""
    schema = parse_schema(schema_from_labelstudio_xml(xml))
    kinds = {c.name: c.type for c in schema.controls}
    assert kinds == {"poly": "polygon", "brush": "mask", "kp": "keypoints", "topic": "taxonomy"}
    assert schema.object("page").type == "text"
    tree = schema.control("topic").taxonomy
    assert [n.value for n in tree] == ["Science", "Art"]
    assert [n.value for n in tree[0].children] == ["Physics", "Biology"]
    assert schema.control("topic").multiple


def test_literal_text_is_layout_not_an_object() -> None:
    xml = """<View><Text name="intro" value="Read carefully"/>
      <Text name="t" value="$text"/><Choices name="c" toName="t"><Choice value="A"/></Choices>
      </View>"""
    assert [o["name"] for o in schema_from_labelstudio_xml(xml)["objects"]] == ["t"]


def test_doctype_and_entities_are_refused() -> None:
    bomb = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<View><Text name="t" value="&lol2;"/></View>"""
    with pytest.raises(InvalidError, match="DOCTYPE"):
        schema_from_labelstudio_xml(bomb)
    external = '<!DOCTYPE v SYSTEM "http://127.0.0.1/x.dtd"><View/>'
    with pytest.raises(InvalidError, match="DOCTYPE"):
        schema_from_labelstudio_xml(external)


def test_unknown_control_tag_is_named() -> None:
    xml = '<View><Image name="i" value="$i"/><Ellipse name="e" toName="i"/></View>'
    with pytest.raises(InvalidError, match="<Ellipse>"):
        schema_from_labelstudio_xml(xml)


def test_unknown_object_tag_is_named() -> None:
    xml = '<View><Paragraphs name="p" value="$dialogue"/></View>'
    with pytest.raises(InvalidError, match="<Paragraphs>"):
        schema_from_labelstudio_xml(xml)


@pytest.mark.parametrize(
    "xml",
    [
        "<View><Image name='i' value='$i'/>",  # not well-formed
        "<View><Image name='i' value='$i'/><Labels name='l' toName='i'><Label value='A'/>"
        "</Labels></View>",  # Labels on an image
        "<View><Text name='t' value='$t'/><Choices name='c' toName='ghost'>"
        "<Choice value='A'/></Choices></View>",  # unknown object
        "<View><Text name='t' value='$t'/><Choices name='c'><Choice value='A'/></Choices></View>",
        "<View><HyperText name='h' value='$h'/><Labels name='l' toName='h'><Label value='A'/>"
        "</Labels></View>",
    ],
)
def test_bad_configs(xml: str) -> None:
    with pytest.raises(InvalidError):
        schema_from_labelstudio_xml(xml)
