"""Print the OpenAPI document the app serves (committed as openapi.json; a test compares)."""

from __future__ import annotations

import json
import sys

from postil.api.app import create_app


def document() -> dict[str, object]:
    return create_app().openapi()


if __name__ == "__main__":
    json.dump(document(), sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
