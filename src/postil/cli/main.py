"""The `postil` command: serve, demo, projects, import, export, users, database, backups."""

from __future__ import annotations

import json
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec, TypeVar

import typer

from postil.settings import Settings

if TYPE_CHECKING:
    from postil.services.runtime import Actor, Runtime

app = typer.Typer(help="Postil: data labeling and annotation.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
project_app = typer.Typer(help="Projects.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
settings_app = typer.Typer(help="Instance-wide settings (administrators).", no_args_is_help=True)
app.add_typer(project_app, name="project")
app.add_typer(user_app, name="user")
app.add_typer(db_app, name="db")
app.add_typer(settings_app, name="settings")

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Overrides POSTIL_DATA_DIR.")]
DbUrl = Annotated[str | None, typer.Option("--database-url", help="Overrides POSTIL_DATABASE_URL.")]
AsUser = Annotated[str | None, typer.Option("--as", help="Act as this user (default: an admin).")]
P = ParamSpec("P")
R = TypeVar("R")


def _settings(data_dir: Path | None = None, database_url: str | None = None) -> Settings:
    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    # pydantic checks the values at run time; its typed __init__ cannot see through **.
    return Settings(**overrides)  # type: ignore[arg-type]


def _fail(message: str) -> NoReturn:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(2)


def _run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call a use case; domain errors become a message and exit code 2."""
    from postil.core.errors import InvalidError, PostilError

    try:
        return fn(*args, **kwargs)
    except InvalidError as err:
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors[:20])
        _fail(f"{err.message} ({details})")
    except PostilError as err:
        _fail(err.message)


@contextmanager
def _runtime(data_dir: Path | None, database_url: str | None, *,
             upgrade: bool = True) -> Iterator[Runtime]:
    """An open runtime for one command, closed (connections returned) when it ends."""
    from postil.services.runtime import Runtime

    rt = Runtime.open(_settings(data_dir, database_url), upgrade=upgrade)
    try:
        yield rt
    finally:
        rt.close()


def _actor(rt: Runtime, username: str | None) -> Actor:
    from postil.services.cli_actor import actor_for

    return _run(actor_for, rt, username)


@app.command()
def serve(host: Annotated[str, typer.Option()] = "127.0.0.1",
          port: Annotated[int, typer.Option()] = 8080,
          workers: Annotated[int, typer.Option(help="API processes.")] = 1,
          data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Run the web server (migrating the database first)."""
    import os

    import uvicorn

    from postil.storage import migrate

    settings = _settings(data_dir, database_url)
    settings.ensure_dirs()
    migrate.upgrade(settings.sqlalchemy_url)
    os.environ["POSTIL_DATA_DIR"] = str(settings.data_dir)
    if database_url:
        os.environ["POSTIL_DATABASE_URL"] = database_url
    uvicorn.run("postil.api.asgi:app", host=host, port=port, workers=workers,
                log_level="warning", access_log=False, proxy_headers=False)


@project_app.command("create")
def project_create(
    name: str,
    template: Annotated[str | None, typer.Option(help="A template name.")] = None,
    schema: Annotated[Path | None, typer.Option(help="JSON/YAML or Label Studio XML.")] = None,
    overlap: int = 1,
    ordering: str = "sequential",
    as_user: AsUser = None, data_dir: DataDir = None, database_url: DbUrl = None,
) -> None:
    """Create a project and print its id."""
    from postil.services import projects, schemas

    if (template is None) == (schema is None):
        _fail("give exactly one of --template or --schema")
    doc = None
    if schema is not None:
        text = schema.read_text(encoding="utf-8")
        doc = _run(schemas.from_labelstudio, text) if text.lstrip().startswith("<") else text
    with _runtime(data_dir, database_url) as rt:
        project = _run(projects.create_project, rt, _actor(rt, as_user), name, schema=doc,
                       template=template, overlap=overlap, ordering=ordering)
        typer.echo(project["id"])


@project_app.command("list")
def project_list(as_user: AsUser = None, data_dir: DataDir = None,
                 database_url: DbUrl = None) -> None:
    """List projects with their progress."""
    from postil.services import projects

    with _runtime(data_dir, database_url) as rt:
        for p in _run(projects.list_projects, rt, _actor(rt, as_user)):
            typer.echo(f"{p['id']}\t{p['name']}\t{p['completed_count']}/{p['task_count']}")


@project_app.command("templates")
def project_templates() -> None:
    """List the schema templates."""
    from postil.services import schemas

    for t in schemas.templates():
        typer.echo(f"{t['name']}\t{t['title']}")


@app.command("import")
def import_cmd(project: int, paths: list[Path], as_user: AsUser = None,
               data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Import task files, media files, folders or zips into a project (all or nothing)."""
    from postil.services import imports

    sources = []
    for path in paths:
        if path.is_dir():
            from postil.storage.archives import iter_media_files

            sources += [imports.ImportSource(str(p.relative_to(path)), p)
                        for p in iter_media_files(path)]
        elif path.is_file():
            sources.append(imports.ImportSource(path.name, path))
        else:
            _fail(f"{path}: no such file or folder")
    with _runtime(data_dir, database_url) as rt:
        report = _run(imports.import_sources, rt, _actor(rt, as_user), project, sources)
        typer.echo(json.dumps(report))


@app.command("export")
def export_cmd(
    project: int,
    format: Annotated[str, typer.Option("--format", "-f")] = "json",  # noqa: A002
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("-"),
    completed_only: bool = False, label: str | None = None, annotator: str | None = None,
    as_user: AsUser = None, data_dir: DataDir = None, database_url: DbUrl = None,
) -> None:
    """Export a project; the report of skipped tasks goes to stderr."""
    from postil.services import exports

    with _runtime(data_dir, database_url) as rt:
        actor = _actor(rt, as_user)
        filt = exports.ExportFilter(completed_only, label, annotator)
        if str(output) == "-":
            out = sys.stdout.buffer
            report = _run(exports.export_project, rt, actor, project, format, out, filt)
        else:
            with output.open("wb") as out:
                report = _run(exports.export_project, rt, actor, project, format, out, filt)
        typer.echo(json.dumps({"exported": report.exported, "skipped": report.skipped}), err=True)


@user_app.command("create")
def user_create(
    username: str,
    password: Annotated[str | None, typer.Option(help="Default: generated and printed.")] = None,
    email: str | None = None,
    admin: Annotated[bool, typer.Option("--admin")] = False,
    data_dir: DataDir = None, database_url: DbUrl = None,
) -> None:
    """Create a user (the first admin too); prints the password if it was generated."""
    from postil.services import users

    with _runtime(data_dir, database_url) as rt:
        generated = password is None
        password = password or secrets.token_urlsafe(12)
        user = _run(users.create_user, rt, username, password, email=email, is_admin=admin)
        typer.echo(f"created user {user['username']} (id {user['id']}"
                   f"{', admin' if admin else ''})")
        if generated:
            typer.echo(f"password: {password}")


@settings_app.command("show")
def settings_show(as_user: AsUser = None, data_dir: DataDir = None,
                  database_url: DbUrl = None) -> None:
    """Print every instance setting, one `name value` a line."""
    from postil.services import instance_settings

    with _runtime(data_dir, database_url) as rt:
        for name, value in _run(instance_settings.get_settings, rt, _actor(rt, as_user)).items():
            typer.echo(f"{name.replace('_', '-')}\t{value}")


@settings_app.command("set")
def settings_set(name: Annotated[str, typer.Argument(help="e.g. project-creators")],
                 value: Annotated[str, typer.Argument(help="e.g. admins or everyone")],
                 as_user: AsUser = None, data_dir: DataDir = None,
                 database_url: DbUrl = None) -> None:
    """Change one instance setting, e.g. `postil settings set project-creators admins`."""
    from postil.services import instance_settings

    with _runtime(data_dir, database_url) as rt:
        changes = {name.replace("-", "_"): value}
        _run(instance_settings.update_settings, rt, _actor(rt, as_user), changes)
        typer.echo(f"{name} = {value}")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head", data_dir: DataDir = None,
               database_url: DbUrl = None) -> None:
    """Apply migrations up to REVISION."""
    from postil.storage import migrate

    settings = _settings(data_dir, database_url)
    settings.ensure_dirs()
    migrate.upgrade(settings.sqlalchemy_url, revision)
    typer.echo(f"database at {migrate.current_revision(settings.sqlalchemy_url)}")


@db_app.command("downgrade")
def db_downgrade(revision: str, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Revert migrations down to REVISION ('base' for none)."""
    from postil.storage import migrate

    settings = _settings(data_dir, database_url)
    migrate.downgrade(settings.sqlalchemy_url, revision)
    typer.echo(f"database at {migrate.current_revision(settings.sqlalchemy_url)}")


SignKey = Annotated[Path | None, typer.Option(
    "--sign-key-file", help="Sign the archive (HMAC-SHA256) with the key in this file.")]
VerifyKey = Annotated[Path | None, typer.Option(
    "--verify-key-file", help="Refuse the archive unless it is signed with this key.")]


def _key(path: Path | None) -> bytes | None:
    from postil.services.backup_integrity import load_key

    return None if path is None else _run(load_key, path)


@app.command()
def backup(output: Annotated[Path, typer.Option("--output", "-o", help="The .zip to write.")],
           sign_key_file: SignKey = None,
           data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Write one archive of the whole instance: every table, the media files, a manifest
    with the SHA-256 of each file, signed when a key file is given.

    The database is not migrated first, so a backup taken before an upgrade holds the data
    as it was."""
    from postil.services.backup import create_backup

    if not output.parent.is_dir():
        _fail(f"{output.parent}: no such folder")
    key = _key(sign_key_file)
    with _runtime(data_dir, database_url, upgrade=False) as rt:
        manifest = _run(create_backup, rt, output, key)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        typer.echo(f"wrote {output}: {rows} rows, {manifest['media']['files']} media files, "
                   f"database revision {manifest['alembic_revision']}"
                   f"{', signed' if key else ''}")


@app.command()
def restore(archive: Path, verify_key_file: VerifyKey = None,
            data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Restore a backup into a new, empty instance (all or nothing; SQLite or PostgreSQL).
    Every file is checked against its SHA-256 in the manifest first."""
    from postil.services.backup import restore_backup

    if not archive.is_file():
        _fail(f"{archive}: no such file")
    key = _key(verify_key_file)
    with _runtime(data_dir, database_url) as rt:
        summary = _run(restore_backup, rt, archive, key)
        typer.echo(json.dumps(summary))
        if summary["signature"] != "verified":
            typer.echo(f"note: signature {summary['signature']}", err=True)


def _this_command(settings: Settings) -> str:
    """How to run this `postil` again on the same instance, e.g. `.venv/bin/postil`."""
    script = Path(sys.executable).parent / "postil"
    try:
        shown = str(script.relative_to(Path.cwd()))
    except ValueError:
        shown = str(script)
    if settings.data_dir != Settings.model_fields["data_dir"].default:
        shown += f" --data-dir {settings.data_dir}"
    return shown


@app.command()
def demo(host: Annotated[str, typer.Option()] = "127.0.0.1",
         port: Annotated[int, typer.Option()] = 8080,
         data_dir: DataDir = None, no_serve: bool = False) -> None:
    """Create demo projects with sample data and an admin, print the login, and serve.

    The demo lives in the default instance (POSTIL_DATA_DIR, else .postil), the one every
    other command uses, so `postil user create bob` adds bob to the demo."""
    from postil.services.demo import seed

    settings = _settings(data_dir, None)
    login = _run(seed, settings)
    typer.echo(f"Postil demo at http://{host}:{port}/  login: {login[0]} / {login[1]}")
    typer.echo(f"Add a user to it: {_this_command(settings)} user create bob")
    if not no_serve:
        serve(host=host, port=port, workers=1, data_dir=settings.data_dir, database_url=None)
