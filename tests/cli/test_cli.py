"""The `postil` command: users, projects from templates and schema files, import, export, db,
backup and restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner, Result

from postil.cli.main import app
from postil.services import projects
from postil.services.runtime import Runtime
from postil.storage import migrate
from postil.storage.tables import metadata

PASSWORD = "a long enough password"
LS_XML = ('<View><Text name="text" value="$text"/>'
          '<Choices name="topic" toName="text"><Choice value="Sports"/>'
          '<Choice value="Politics"/></Choices></View>')
YAML_SCHEMA = ("objects: [{name: text, type: text}]\n"
               "controls: [{name: mood, type: choices, to: [text], labels: [Happy, Sad]}]\n")


@pytest.fixture
def admin(postil: Callable[..., Result]) -> str:
    result = postil("user", "create", "root", "--admin", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    return "root"


def _project_id(result: Result) -> int:
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip().splitlines()[-1])


def _fail(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.output


class TestUserCreate:
    def test_admin_with_password(self, postil: Callable[..., Result], rt: Runtime) -> None:
        result = postil("user", "create", "root", "--admin", "--password", PASSWORD)
        assert result.exit_code == 0, result.output
        assert "created user root" in result.stdout and "admin" in result.stdout
        with rt.engine.connect() as conn:
            row = conn.execute(metadata.tables["users"].select()).mappings().one()
        assert row["is_admin"] and row["password_hash"].startswith("$argon2")

    def test_generated_password_is_printed_once(self, postil: Callable[..., Result],
                                                rt: Runtime) -> None:
        result = postil("user", "create", "ann")
        assert result.exit_code == 0, result.output
        password = result.stdout.split("password: ")[1].strip()
        from postil.services import users

        assert users.login(rt, "ann", password).user["username"] == "ann"

    def test_duplicate_exits_2(self, postil: Callable[..., Result], admin: str) -> None:
        _fail(postil("user", "create", "root", "--password", PASSWORD), "exists")

    def test_short_password_exits_2(self, postil: Callable[..., Result]) -> None:
        _fail(postil("user", "create", "x", "--password", "short"), "password")


class TestProjectCreate:
    def test_from_a_template_prints_the_id(self, postil: Callable[..., Result], rt: Runtime,
                                           admin: str) -> None:
        pid = _project_id(postil("project", "create", "Reviews", "--template", "sentiment"))
        assert projects.get_project(rt, _root(rt), pid)["name"] == "Reviews"

    def test_from_a_yaml_schema(self, postil: Callable[..., Result], rt: Runtime, admin: str,
                                tmp_path: Path) -> None:
        path = tmp_path / "schema.yaml"
        path.write_text(YAML_SCHEMA)
        pid = _project_id(postil("project", "create", "Moods", "--schema", str(path)))
        schema = projects.get_project(rt, _root(rt), pid)["schema"]
        assert schema["controls"][0]["name"] == "mood"

    def test_from_a_labelstudio_config(self, postil: Callable[..., Result], rt: Runtime,
                                       admin: str, tmp_path: Path) -> None:
        path = tmp_path / "ls.xml"
        path.write_text(LS_XML)
        pid = _project_id(postil("project", "create", "Topics", "--schema", str(path)))
        control = projects.get_project(rt, _root(rt), pid)["schema"]["controls"][0]
        assert (control["name"], control["type"]) == ("topic", "choices")

    def test_list(self, postil: Callable[..., Result], admin: str) -> None:
        pid = _project_id(postil("project", "create", "Reviews", "--template", "sentiment"))
        result = postil("project", "list")
        assert result.stdout.strip() == f"{pid}\tReviews\t0/0"

    @pytest.mark.parametrize(("args", "message"), [
        (["--template", "nope"], "nope"),
        ([], "exactly one"),
        (["--template", "sentiment", "--schema", "x.yaml"], "exactly one"),
        (["--template", "sentiment", "--overlap", "0"], "overlap"),
    ])
    def test_errors_exit_2(self, postil: Callable[..., Result], rt: Runtime, admin: str,
                           args: list[str], message: str) -> None:
        _fail(postil("project", "create", "X", *args), message)
        assert projects.list_projects(rt, _root(rt)) == []

    def test_bad_schema_file_exits_2(self, postil: Callable[..., Result], admin: str,
                                     tmp_path: Path) -> None:
        path = tmp_path / "bad.xml"
        path.write_text('<!DOCTYPE x [<!ENTITY a "b">]><View>&a;</View>')
        _fail(postil("project", "create", "X", "--schema", str(path)), "DOCTYPE")

    def test_without_an_admin_exits_2(self, postil: Callable[..., Result]) -> None:
        _fail(postil("project", "create", "X", "--template", "sentiment"), "admin")


class TestImportExport:
    def test_import_then_export_json(self, postil: Callable[..., Result], admin: str,
                                     tmp_path: Path) -> None:
        pid = _project_id(postil("project", "create", "Reviews", "--template", "sentiment"))
        tasks = tmp_path / "tasks.jsonl"
        tasks.write_text('{"text": "good"}\n{"text": "bad"}\n')
        result = postil("import", str(pid), str(tasks))
        assert result.exit_code == 0, result.output
        assert orjson.loads(result.stdout)["imported"] == 2
        out = tmp_path / "out.json"
        result = postil("export", str(pid), "-f", "json", "-o", str(out))
        assert result.exit_code == 0, result.output
        assert [t["data"]["text"] for t in orjson.loads(out.read_bytes())] == ["good", "bad"]
        assert orjson.loads(result.stderr)["exported"] == 2

    def test_export_to_stdout(self, postil: Callable[..., Result], admin: str,
                              tmp_path: Path) -> None:
        pid = _project_id(postil("project", "create", "Reviews", "--template", "sentiment"))
        tasks = tmp_path / "tasks.csv"
        tasks.write_text("text\nhello\n")
        postil("import", str(pid), str(tasks))
        result = postil("export", str(pid), "-f", "jsonl")
        assert result.exit_code == 0, result.output
        assert orjson.loads(result.stdout.splitlines()[0])["data"] == {"text": "hello"}

    def test_folder_of_images(self, postil: Callable[..., Result], rt: Runtime, admin: str,
                              tmp_path: Path) -> None:
        from PIL import Image

        pid = _project_id(postil("project", "create", "Pics", "--template",
                                 "image_classification"))
        folder = tmp_path / "pics"
        (folder / "nested").mkdir(parents=True)
        Image.new("RGB", (10, 10), "red").save(folder / "a.png")
        Image.new("RGB", (20, 10), "green").save(folder / "nested" / "b.png")
        result = postil("import", str(pid), str(folder))
        assert result.exit_code == 0, result.output
        assert orjson.loads(result.stdout)["imported"] == 2
        with rt.engine.connect() as conn:
            rows = conn.execute(metadata.tables["tasks"].select()).mappings().all()
        assert sorted(r["meta"]["filename"] for r in rows) == ["a.png", "nested/b.png"]
        assert sorted(r["meta"]["media"]["image"]["width"] for r in rows) == [10, 20]

    def test_bad_file_imports_nothing_and_exits_2(self, postil: Callable[..., Result],
                                                  rt: Runtime, admin: str,
                                                  tmp_path: Path) -> None:
        pid = _project_id(postil("project", "create", "Reviews", "--template", "sentiment"))
        tasks = tmp_path / "tasks.jsonl"
        tasks.write_text('{"text": "good"}\n{"text": oops}\n')
        _fail(postil("import", str(pid), str(tasks)), "line 2")
        assert projects.get_project(rt, _root(rt), pid)["task_count"] == 0

    def test_missing_path_exits_2(self, postil: Callable[..., Result], admin: str,
                                  tmp_path: Path) -> None:
        pid = _project_id(postil("project", "create", "Reviews", "--template", "sentiment"))
        _fail(postil("import", str(pid), str(tmp_path / "nope.jsonl")), "no such file")

    def test_unknown_project_and_format_exit_2(self, postil: Callable[..., Result], admin: str,
                                               tmp_path: Path) -> None:
        _fail(postil("export", "999", "-f", "json", "-o", str(tmp_path / "x.json")),
              "not found")
        pid = _project_id(postil("project", "create", "Reviews", "--template", "sentiment"))
        _fail(postil("export", str(pid), "-f", "pickle", "-o", str(tmp_path / "x")),
              "unknown export format")


def _root(rt: Runtime) -> object:
    from postil.services.cli_actor import actor_for

    return actor_for(rt, None)


class TestBackupRestore:
    def test_backup_restore_export_equal(self, postil: Callable[..., Result], admin: str,
                                         tmp_path: Path, fresh_url: str) -> None:
        pid = _project_id(postil("project", "create", "Reviews", "--template", "sentiment"))
        tasks = tmp_path / "tasks.jsonl"
        tasks.write_text('{"text": "good"}\n{"text": "bad"}\n')
        assert postil("import", str(pid), str(tasks)).exit_code == 0
        archive = tmp_path / "site.zip"
        result = postil("backup", "-o", str(archive))
        assert result.exit_code == 0, result.output
        assert f"wrote {archive}:" in result.stdout
        assert f"revision {migrate.head_revision()}" in result.stdout
        fresh = ["--data-dir", str(tmp_path / "new"), "--database-url", fresh_url]
        result = CliRunner().invoke(app, ["restore", str(archive), *fresh])
        assert result.exit_code == 0, result.output
        assert orjson.loads(result.stdout)["rows"]["tasks"] == 2
        exported = CliRunner().invoke(app, ["export", str(pid), *fresh]).stdout
        assert exported == postil("export", str(pid)).stdout
        assert orjson.loads(exported)[1]["data"] == {"text": "bad"}
        _fail(CliRunner().invoke(app, ["restore", str(archive), *fresh]),
              "the target instance is not empty")

    def test_signed_backup_and_verified_restore(self, postil: Callable[..., Result],
                                                admin: str, tmp_path: Path,
                                                fresh_url: str) -> None:
        key, other = tmp_path / "backup.key", tmp_path / "other.key"
        key.write_text("9f" * 32 + "\n")
        other.write_text("a0" * 32 + "\n")
        archive = tmp_path / "site.zip"
        result = postil("backup", "-o", str(archive), "--sign-key-file", str(key))
        assert result.exit_code == 0, result.output
        assert result.stdout.rstrip().endswith(", signed")
        fresh = ["--data-dir", str(tmp_path / "new"), "--database-url", fresh_url]
        _fail(CliRunner().invoke(app, ["restore", str(archive), "--verify-key-file",
                                       str(other), *fresh]),
              "the signature in manifest.hmac does not match")
        _fail(CliRunner().invoke(app, ["restore", str(archive), "--verify-key-file",
                                       str(tmp_path / "nope.key"), *fresh]),
              "nope.key: cannot be read")
        result = CliRunner().invoke(app, ["restore", str(archive), "--verify-key-file",
                                          str(key), *fresh])
        assert result.exit_code == 0, result.output
        assert orjson.loads(result.stdout)["signature"] == "verified"
        assert result.stderr == ""

    def test_restore_without_the_key_says_the_signature_was_not_checked(
            self, postil: Callable[..., Result], admin: str, tmp_path: Path,
            fresh_url: str) -> None:
        key = tmp_path / "backup.key"
        key.write_text("9f" * 32)
        archive = tmp_path / "site.zip"
        assert postil("backup", "-o", str(archive), "--sign-key-file", str(key)).exit_code == 0
        fresh = ["--data-dir", str(tmp_path / "new"), "--database-url", fresh_url]
        result = CliRunner().invoke(app, ["restore", str(archive), *fresh])
        assert result.exit_code == 0, result.output
        assert result.stderr == ("note: signature not verified: the backup is signed, give "
                                 "--verify-key-file to check it\n")

    def test_missing_archive_and_folder_exit_2(self, postil: Callable[..., Result],
                                               tmp_path: Path) -> None:
        _fail(postil("restore", str(tmp_path / "nope.zip")), "no such file")
        _fail(postil("backup", "-o", str(tmp_path / "nope" / "site.zip")), "no such folder")


class TestDb:
    def test_upgrade_a_fresh_database(self, fresh_url: str, tmp_path: Path) -> None:
        runner = CliRunner()
        args = ["--database-url", fresh_url, "--data-dir", str(tmp_path / "data")]
        result = runner.invoke(app, ["db", "upgrade", *args])
        assert result.exit_code == 0, result.output
        head = migrate.current_revision(fresh_url)
        assert head and f"database at {head}" in result.stdout
        result = runner.invoke(app, ["db", "downgrade", "base", *args])
        assert result.exit_code == 0, result.output
        assert migrate.current_revision(fresh_url) is None
        assert runner.invoke(app, ["db", "upgrade", *args]).exit_code == 0
        assert migrate.current_revision(fresh_url) == head

    def test_no_arguments_shows_help(self) -> None:
        result = CliRunner().invoke(app, [])
        assert result.exit_code in (0, 2)
        assert "Usage" in result.output

    def test_templates(self) -> None:
        result = CliRunner().invoke(app, ["project", "templates"])
        assert result.exit_code == 0
        assert "sentiment\tSentiment analysis" in result.stdout
