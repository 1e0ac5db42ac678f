"""Progress URLs: which store a URL asks for, and how to name it without its password.

Plain string work, no database driver: the command line checks a URL before anything
is imported or connected. A URL's password never appears in what these functions
return, and `scrub` takes it out of any text (a driver's error message, say) before
that text is shown or logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

URL_ENV = "THAW_PROGRESS_URL"
POSTGRES_SCHEMES = ("postgresql", "postgres")
EXTRA_HINT = "pip install 'thaw-tui[postgres]'"


class ProgressUrlError(ValueError):
    """The URL cannot be used; the message is one sentence with the fix."""


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme.lower() in POSTGRES_SCHEMES


def check(url: str) -> None:
    """Raise ProgressUrlError unless `url` names a store thaw knows."""
    if not is_postgres(url):
        raise ProgressUrlError(
            "the progress URL must start with postgresql:// "
            "(leave it out to keep progress in the state folder)."
        )


def has_password(url: str) -> bool:
    """True when the URL itself carries a password (in its user part or its query)."""
    parts = urlsplit(url)
    if parts.password:
        return True
    return any(key.lower() == "password" for key, _value in parse_qsl(parts.query))


def passwords_in(url: str) -> list[str]:
    """Every form of the URL's password that could show up in a message."""
    parts = urlsplit(url)
    found: list[str] = []
    if parts.password:
        found += [parts.password, unquote(parts.password)]
    found += [value for key, value in parse_qsl(parts.query) if key.lower() == "password"]
    return [secret for secret in found if secret]


def describe(url: str) -> str:
    """`PostgreSQL at host:port/db` (user and host, never the password or the options)."""
    parts = urlsplit(url)
    where = parts.netloc.rpartition("@")[2] or "the local socket"
    user = parts.username
    database = unquote(parts.path.lstrip("/"))
    name = f"{where}/{database}" if database else where
    return f"PostgreSQL at {user}@{name}" if user else f"PostgreSQL at {name}"


def scrub(text: str, url: str | None) -> str:
    """`text` with the URL and its password replaced by `***`."""
    if not url:
        return text
    text = text.replace(url, "***")
    for secret in sorted(passwords_in(url), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


# libpq's variables for passwords and TLS files that a host may have set for
# `thaw serve`; readers' processes start from an empty environment, so these are
# passed on by name (and ~/.pgpass by path, as their HOME is another folder).
LIBPQ_VARIABLES = (
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSERVICEFILE",
    "PGSSLROOTCERT",
    "PGSSLCERT",
    "PGSSLKEY",
)


def reader_environment(
    url: str | None, environ: Mapping[str, str], home: Path | None
) -> dict[str, str]:
    """What a reader's process needs, besides its own environment, to open the store.

    The URL travels in the environment (readable only by the same user, through
    /proc/PID/environ), never on a command line that `ps` shows everyone."""
    if not url:
        return {}
    env = {URL_ENV: url}
    env.update({name: environ[name] for name in LIBPQ_VARIABLES if environ.get(name)})
    if "PGPASSFILE" not in env and home is not None and (home / ".pgpass").is_file():
        env["PGPASSFILE"] = str(home / ".pgpass")
    return env
