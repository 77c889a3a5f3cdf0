"""`make prices` (python -m pricing): refresh the price table from the AWS Price List API when AWS
credentials are present; offline, say which table the render uses and how old it is. Exit 0 either
way; 1 when the API refuses (the shipped table is left as it was)."""

from __future__ import annotations

import json
import sys
from datetime import date

from .refresh import ENDPOINT_REGION, refreshed, write_table
from .table import TABLE_FILE, load_prices


def main() -> int:
    import boto3
    import botocore.exceptions

    session = boto3.Session()
    if session.get_credentials() is None:
        read = load_prices().read
        print(f"No AWS credentials: the render uses the shipped price table, read {read} ({TABLE_FILE.name}).")
        return 0
    client = session.client("pricing", region_name=ENDPOINT_REGION)
    try:
        document = refreshed(json.loads(TABLE_FILE.read_text(encoding="utf-8")), client, date.today())
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
        print(f"prices: the Price List API refused: {error}; the table is unchanged", file=sys.stderr)
        return 1
    write_table(document)
    print(f"Wrote {TABLE_FILE.name}: {len(document['regions'])} regions, read {document['read']}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
