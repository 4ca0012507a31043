"""Projects: create (schemas, templates), list, read, update, delete, members, schema changes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services import schemas
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]
JSON = {"content-type": "application/json"}
SIMPLE_SCHEMA: dict[str, Any] = {
    "objects": [{"name": "text", "type": "text"}],
    "controls": [{"name": "sentiment", "type": "choices", "to": ["text"],
                  "labels": ["Positive", "Negative", "Neutral"]}],
}


@pytest.fixture
def alice(make_user: Callable[..., Actor]) -> Actor:
    return make_user("alice")


@pytest.fixture
def client(alice: Actor, client_for: Clients) -> TestClient:
    return client_for(alice)


class TestCreateProject:
    @pytest.mark.parametrize("template", [t["name"] for t in schemas.templates()])
    def test_from_each_template(self, client: TestClient, rt: Runtime, template: str) -> None:
        response = client.post("/api/projects", json={"name": template, "template": template})
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["schema"] == client.get(f"/api/templates/{template}").json()
        assert body["role"] == "owner"
        assert body["schema_version"] == 1
        assert f.count(rt, "members", project_id=body["id"]) == 1

    def test_from_a_schema(self, client: TestClient) -> None:
        body = f.project(client, schema=SIMPLE_SCHEMA, overlap=3, ordering="random",
                         description="about")
        assert body["schema"]["controls"][0]["labels"] == ["Positive", "Negative", "Neutral"]
        assert (body["overlap"], body["ordering"], body["description"]) == (3, "random", "about")

    def test_from_a_yaml_schema_string(self, client: TestClient) -> None:
        doc = ("objects: [{name: text, type: text}]\n"
               "controls: [{name: c, type: choices, to: [text], labels: [A, B]}]\n")
        body = f.project(client, schema=doc)
        assert body["schema"]["controls"][0]["name"] == "c"

    def test_schema_errors_are_422_with_loc(self, client: TestClient, rt: Runtime) -> None:
        bad = copy.deepcopy(SIMPLE_SCHEMA)
        bad["controls"].append({"name": "bad name!", "type": "choices", "to": ["text"],
                                "labels": ["x"]})
        response = client.post("/api/projects", json={"name": "X", "schema": bad})
        assert response.status_code == 422
        assert ["controls", 1, "name"] in [e["loc"] for e in response.json()["errors"]]
        assert f.count(rt, "projects") == 0

    def test_unknown_object_in_to_is_422_with_loc(self, client: TestClient, rt: Runtime) -> None:
        bad = copy.deepcopy(SIMPLE_SCHEMA)
        bad["controls"][0]["to"] = ["nothing"]
        response = client.post("/api/projects", json={"name": "X", "schema": bad})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"][:2] == ["controls", 0]
        assert f.count(rt, "projects") == 0

    @pytest.mark.parametrize("body", [
        {"name": "X"},
        {"name": "X", "template": "sentiment", "schema": SIMPLE_SCHEMA},
        {"name": "X", "template": "no-such-template"},
        {"name": "X", "template": "sentiment", "overlap": 0},
        {"name": "X", "template": "sentiment", "overlap": 101},
        {"name": "X", "template": "sentiment", "ordering": "by-mood"},
        {"name": "", "template": "sentiment"},
        {"name": "   ", "template": "sentiment"},
        {"name": "x" * 1_000_000, "template": "sentiment"},
        {"name": "bell\u0007", "template": "sentiment"},
        {"name": "evil\u202egpj.exe", "template": "sentiment"},
        {"name": "X", "template": "sentiment", "unknown": 1},
        {"name": ["X"], "template": "sentiment"},
    ])
    def test_invalid_bodies_are_422(self, client: TestClient, rt: Runtime,
                                    body: dict[str, Any]) -> None:
        response = client.post("/api/projects", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"]
        assert f.count(rt, "projects") == 0

    @pytest.mark.parametrize("raw", [
        '{"name": NaN, "template": "sentiment"}',
        '{"name": "X", "template": "sentiment", "overlap": Infinity}',
        '{"name": "X", "template": "sentiment", "overlap": -Infinity}',
        '{"name": "\\ud800", "template": "sentiment"}',
        '{"name": "X", "template": "sentiment", "description": ' + "[" * 1000 + "]" * 1000 + "}",
        '{"name": "X", "schema": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}",
        '{"name": "X", "template": "sentiment",',
        "",
    ])
    def test_bad_json_is_422_never_500(self, client: TestClient, rt: Runtime, raw: str) -> None:
        response = client.post("/api/projects", content=raw, headers=JSON)
        assert response.status_code == 422, response.text
        assert f.count(rt, "projects") == 0

    def test_invalid_utf8_is_422(self, client: TestClient, rt: Runtime) -> None:
        response = client.post("/api/projects", content=b'{"name": "\xff\xfe",'
                               b' "template": "sentiment"}', headers=JSON)
        assert response.status_code == 422
        assert f.count(rt, "projects") == 0

    def test_body_over_the_json_limit_is_413(self, client: TestClient, rt: Runtime) -> None:
        from postil.api.body import MAX_JSON_BYTES

        body = b'{"name": "X", "template": "sentiment", "description": "' + \
            b"a" * (MAX_JSON_BYTES + 10) + b'"}'
        response = client.post("/api/projects", content=body, headers=JSON)
        assert response.status_code == 413
        assert f.count(rt, "projects") == 0

    def test_401(self, client_for: Clients) -> None:
        response = client_for(None).post("/api/projects", json={"name": "X",
                                                                "template": "sentiment"})
        assert response.status_code == 401


class TestListProjects:
    def test_members_see_their_projects_admins_all(
            self, client: TestClient, make_user: Callable[..., Actor],
            client_for: Clients) -> None:
        mine = f.project(client, "Mine")
        other = client_for(make_user("bob"))
        theirs = f.project(other, "Theirs")
        assert [p["id"] for p in client.get("/api/projects").json()] == [mine["id"]]
        admin = client_for(make_user("root", admin=True))
        listed = {p["id"]: p for p in admin.get("/api/projects").json()}
        assert set(listed) == {mine["id"], theirs["id"]}
        assert listed[mine["id"]]["schema"]["controls"][0]["name"] == "sentiment"

    def test_counts_and_role(self, client: TestClient) -> None:
        project = f.project(client)
        ids = f.import_texts(client, project["id"], 3)
        f.submit(client, ids[0])
        (listed,) = client.get("/api/projects").json()
        assert (listed["task_count"], listed["completed_count"]) == (3, 1)
        assert (listed["my_annotations"], listed["role"]) == (1, "owner")


class TestGetProject:
    def test_happy(self, client: TestClient) -> None:
        project = f.project(client)
        got = client.get(f"/api/projects/{project['id']}").json()
        assert got["id"] == project["id"]
        assert got["schema"] == project["schema"]

    @pytest.mark.parametrize("project_id", ["999999", "0", "-1"])
    def test_unknown_is_404(self, client: TestClient, project_id: str) -> None:
        assert client.get(f"/api/projects/{project_id}").status_code == 404

    def test_non_integer_is_422(self, client: TestClient) -> None:
        assert client.get("/api/projects/abc").status_code == 422


class TestUpdateProject:
    def test_rename_and_settings(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        response = client.patch(f"/api/projects/{pid}", json={
            "name": "Renamed", "description": "new", "ordering": "priority"})
        assert response.status_code == 200
        got = client.get(f"/api/projects/{pid}").json()
        assert (got["name"], got["description"], got["ordering"]) == ("Renamed", "new",
                                                                      "priority")

    def test_overlap_change_recomputes_completion(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        ids = f.import_texts(client, pid, 2)
        f.submit(client, ids[0])
        assert client.get(f"/api/projects/{pid}").json()["completed_count"] == 1
        client.patch(f"/api/projects/{pid}", json={"overlap": 2})
        assert client.get(f"/api/projects/{pid}").json()["completed_count"] == 0
        assert client.get(f"/api/tasks/{ids[0]}").json()["is_completed"] is False
        client.patch(f"/api/projects/{pid}", json={"overlap": 1})
        assert client.get(f"/api/projects/{pid}").json()["completed_count"] == 1

    @pytest.mark.parametrize("body", [{"overlap": 0}, {"ordering": "x"}, {"name": "a\u0000"},
                                      {"name": "n" * 201}, {"schema": SIMPLE_SCHEMA}])
    def test_invalid_is_422_and_unchanged(self, client: TestClient, rt: Runtime,
                                          body: dict[str, Any]) -> None:
        pid = f.project(client)["id"]
        before = f.snapshot(rt)
        assert client.patch(f"/api/projects/{pid}", json=body).status_code == 422
        assert f.snapshot(rt) == before

    def test_unknown_is_404(self, client: TestClient) -> None:
        assert client.patch("/api/projects/424242", json={"name": "x"}).status_code == 404


class TestDeleteProject:
    def test_deletes_tasks_annotations_and_media(self, client: TestClient,
                                                 rt: Runtime) -> None:
        pid = f.project(client, template="image_classification")["id"]
        response = client.post(f"/api/projects/{pid}/imports",
                               files=[("files", ("a.png", f.png_bytes(), "image/png"))])
        assert response.status_code == 201, response.text
        assert any((rt.settings.media_dir / str(pid)).rglob("*.png"))
        assert client.delete(f"/api/projects/{pid}").status_code == 204
        assert client.get(f"/api/projects/{pid}").status_code == 404
        for table in ("projects", "tasks", "members", "schema_versions"):
            assert f.count(rt, table) == 0
        assert not any((rt.settings.media_dir / str(pid)).rglob("*.png"))

    def test_a_reused_id_gets_the_new_schema(self, client: TestClient) -> None:
        first = f.project(client)["id"]
        assert client.delete(f"/api/projects/{first}").status_code == 204
        pid = f.project(client, template="image_classification")["id"]
        response = client.post(f"/api/projects/{pid}/imports",
                               files=[("files", ("a.png", f.png_bytes(), "image/png"))])
        assert response.status_code == 201, response.text

    def test_twice_is_404(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        assert client.delete(f"/api/projects/{pid}").status_code == 204
        assert client.delete(f"/api/projects/{pid}").status_code == 404


class TestMembers:
    def test_add_change_list_remove(self, client: TestClient,
                                    make_user: Callable[..., Actor]) -> None:
        pid = f.project(client)["id"]
        bob = make_user("bob")
        response = client.put(f"/api/projects/{pid}/members",
                              json={"username": "bob", "role": "annotator"})
        assert response.status_code == 200
        assert {m["username"]: m["role"] for m in response.json()} == {
            "alice": "owner", "bob": "annotator"}
        f.add_member(client, pid, "bob", "manager")
        listed = client.get(f"/api/projects/{pid}/members").json()
        assert {m["username"]: m["role"] for m in listed}["bob"] == "manager"
        assert client.delete(f"/api/projects/{pid}/members/{bob.user_id}").status_code == 204
        assert [m["username"] for m in client.get(f"/api/projects/{pid}/members").json()] == [
            "alice"]

    def test_last_owner_cannot_leave_or_be_demoted(self, client: TestClient, rt: Runtime,
                                                   alice: Actor) -> None:
        pid = f.project(client)["id"]
        before = f.snapshot(rt)
        assert client.delete(f"/api/projects/{pid}/members/{alice.user_id}").status_code == 409
        assert client.put(f"/api/projects/{pid}/members", json={
            "username": "alice", "role": "manager"}).status_code == 409
        assert f.snapshot(rt) == before

    def test_unknown_user_is_404(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        response = client.put(f"/api/projects/{pid}/members",
                              json={"username": "ghost", "role": "annotator"})
        assert response.status_code == 404

    def test_removing_a_non_member_is_404(self, client: TestClient,
                                          make_user: Callable[..., Actor]) -> None:
        pid = f.project(client)["id"]
        bob = make_user("bob")
        assert client.delete(f"/api/projects/{pid}/members/{bob.user_id}").status_code == 404

    def test_removed_member_loses_access(self, client: TestClient, client_for: Clients,
                                         make_user: Callable[..., Actor]) -> None:
        pid = f.project(client)["id"]
        bob = make_user("bob")
        f.add_member(client, pid, "bob", "annotator")
        bob_client = client_for(bob)
        assert bob_client.get(f"/api/projects/{pid}").status_code == 200
        client.delete(f"/api/projects/{pid}/members/{bob.user_id}")
        assert bob_client.get(f"/api/projects/{pid}").status_code == 404


def _sentiment(labels: list[str]) -> dict[str, Any]:
    schema = copy.deepcopy(SIMPLE_SCHEMA)
    schema["controls"][0]["labels"] = labels
    return schema


class TestSchemaChange:
    @pytest.fixture
    def annotated(self, client: TestClient) -> tuple[int, list[int], list[dict[str, Any]]]:
        """Three tasks answered Positive, Negative and Neutral."""
        pid = f.project(client, schema=SIMPLE_SCHEMA)["id"]
        ids = f.import_texts(client, pid, 3)
        done = [f.submit(client, t, label) for t, label in
                zip(ids, ["Positive", "Negative", "Neutral"], strict=True)]
        return pid, ids, done

    def _change(self, client: TestClient, pid: int, labels: list[str],
                changes: list[dict[str, Any]]) -> dict[str, Any]:
        response = client.put(f"/api/projects/{pid}/schema",
                              json={"schema": _sentiment(labels), "changes": changes})
        assert response.status_code == 200, response.text
        return response.json()

    def test_rename_migrates_results_and_history_keeps_the_old(
            self, client: TestClient, annotated: tuple[int, list[int], list[dict[str, Any]]]
    ) -> None:
        pid, _, done = annotated
        report = self._change(client, pid, ["Good", "Negative", "Neutral"], [
            {"op": "rename_label", "control": "sentiment", "from": "Positive", "to": "Good"}])
        assert (report["version"], report["migrated_annotations"]) == (2, 1)
        now = client.get(f"/api/annotations/{done[0]['id']}").json()
        assert now["result"][0]["value"]["choices"] == ["Good"]
        assert (now["version"], now["schema_version"]) == (2, 2)
        history = client.get(f"/api/annotations/{done[0]['id']}/history").json()
        assert [h["result"][0]["value"]["choices"] for h in history] == [["Positive"], ["Good"]]
        untouched = client.get(f"/api/annotations/{done[1]['id']}").json()
        assert untouched["version"] == 1

    def test_merge(self, client: TestClient,
                   annotated: tuple[int, list[int], list[dict[str, Any]]]) -> None:
        pid, _, done = annotated
        report = self._change(client, pid, ["Positive", "Other"], [
            {"op": "merge_labels", "control": "sentiment", "from": ["Negative", "Neutral"],
             "to": "Other"}])
        assert report["migrated_annotations"] == 2
        labels = [client.get(f"/api/annotations/{a['id']}").json()["result"][0]["value"]
                  ["choices"] for a in done]
        assert labels == [["Positive"], ["Other"], ["Other"]]

    def test_split_sends_the_task_to_relabel(
            self, client: TestClient, annotated: tuple[int, list[int], list[dict[str, Any]]]
    ) -> None:
        pid, ids, done = annotated
        report = self._change(client, pid, ["Positive", "Negative", "Calm", "Indifferent"], [
            {"op": "split_label", "control": "sentiment", "from": "Neutral",
             "into": ["Calm", "Indifferent"]}])
        assert report["relabel_task_ids"] == [ids[2]]
        assert client.get(f"/api/tasks/{ids[2]}").json()["needs_relabel"] is True
        assert client.get(f"/api/tasks/{ids[0]}").json()["needs_relabel"] is False
        assert f.task_ids(client, pid, status="relabel") == [ids[2]]
        history = client.get(f"/api/annotations/{done[2]['id']}/history").json()
        assert history[0]["result"][0]["value"]["choices"] == ["Neutral"]

    def test_versions_lists_every_version(
            self, client: TestClient, annotated: tuple[int, list[int], list[dict[str, Any]]]
    ) -> None:
        pid, _, _ = annotated
        self._change(client, pid, ["Good", "Negative", "Neutral"], [
            {"op": "rename_label", "control": "sentiment", "from": "Positive", "to": "Good"}])
        self._change(client, pid, ["Good", "Bad", "Neutral"], [
            {"op": "rename_label", "control": "sentiment", "from": "Negative", "to": "Bad"}])
        versions = client.get(f"/api/projects/{pid}/schema/versions").json()
        assert [v["version"] for v in versions] == [1, 2, 3]
        assert versions[0]["schema"]["controls"][0]["labels"] == ["Positive", "Negative",
                                                                  "Neutral"]
        assert versions[2]["changes"][0]["to"] == "Bad"
        assert client.get(f"/api/projects/{pid}").json()["schema_version"] == 3

    @pytest.mark.parametrize("changes", [
        [{"op": "rename_label", "control": "sentiment", "from": "Nope", "to": "Good"}],
        [{"op": "explode"}],
        [{"op": "rename_label", "control": "sentiment", "from": 1, "to": "Good"}],
    ])
    def test_bad_changes_are_422_and_nothing_changes(
            self, client: TestClient, rt: Runtime, changes: list[dict[str, Any]],
            annotated: tuple[int, list[int], list[dict[str, Any]]]) -> None:
        pid, _, _ = annotated
        before = f.snapshot(rt)
        response = client.put(f"/api/projects/{pid}/schema", json={
            "schema": _sentiment(["Good", "Negative", "Neutral"]), "changes": changes})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"][0] == "changes"
        assert f.snapshot(rt) == before

    def test_invalid_schema_is_422(self, client: TestClient,
                                   annotated: tuple[int, list[int], list[dict[str, Any]]]
                                   ) -> None:
        pid, _, _ = annotated
        response = client.put(f"/api/projects/{pid}/schema",
                              json={"schema": {"objects": []}, "changes": []})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"]

    def test_unknown_project_is_404(self, client: TestClient) -> None:
        response = client.put("/api/projects/987654/schema",
                              json={"schema": SIMPLE_SCHEMA, "changes": []})
        assert response.status_code == 404


class TestTemplates:
    def test_list_and_get(self, client: TestClient) -> None:
        listed = client.get("/api/templates").json()
        assert {"sentiment", "object_detection"} <= {t["name"] for t in listed}
        assert client.get("/api/templates/sentiment").json()["controls"][0]["name"] == "sentiment"

    def test_unknown_is_404(self, client: TestClient) -> None:
        assert client.get("/api/templates/nope").status_code == 404


class TestSchemaCheck:
    def test_normalises(self, client: TestClient) -> None:
        response = client.post("/api/schemas/check", json={"schema": SIMPLE_SCHEMA})
        assert response.status_code == 200
        assert response.json()["objects"][0]["name"] == "text"

    def test_problems_have_locations(self, client: TestClient) -> None:
        response = client.post("/api/schemas/check", json={"schema": {
            "objects": [{"name": "text", "type": "text"}],
            "controls": [{"name": "c", "type": "choices", "to": ["text"], "labels": ["A", "A"]},
                         {"name": "d", "type": "wobble", "to": ["text"]}]}})
        assert response.status_code == 422
        assert all(e["loc"][0] == "controls" for e in response.json()["errors"])


class TestFromLabelStudio:
    def test_converts_a_config(self, client: TestClient) -> None:
        xml = ('<View><Image name="img" value="$image"/>'
               '<RectangleLabels name="tag" toName="img"><Label value="Car"/>'
               '<Label value="Person"/></RectangleLabels>'
               '<Choices name="weather" toName="img"><Choice value="Sunny"/></Choices></View>')
        response = client.post("/api/schemas/from-labelstudio", json={"xml": xml})
        assert response.status_code == 200, response.text
        schema = response.json()
        assert schema["objects"] == [{"name": "img", "type": "image", "value": "image"}]
        controls = {c["name"]: c for c in schema["controls"]}
        assert controls["tag"]["type"] == "box"
        assert [str(lab) if isinstance(lab, str) else lab["value"]
                for lab in controls["tag"]["labels"]] == ["Car", "Person"]
        assert controls["weather"]["type"] == "choices"
        assert f.project(client, schema=schema)["schema"]["controls"][0]["name"] == "tag"

    @pytest.mark.parametrize("xml", [
        '<!DOCTYPE View [<!ENTITY a "Car">]><View><Image name="img" value="$image"/>'
        '<RectangleLabels name="tag" toName="img"><Label value="&a;"/></RectangleLabels></View>',
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        '<View>&lol2;</View>',
        '<View><Image name="img" value="$image"/>',
        "not xml at all",
        '<View><Choices name="c" toName="missing"><Choice value="A"/></Choices></View>',
    ])
    def test_bad_configs_are_422(self, client: TestClient, xml: str) -> None:
        response = client.post("/api/schemas/from-labelstudio", json={"xml": xml})
        assert response.status_code == 422, response.text
        assert "errors" in response.json()
