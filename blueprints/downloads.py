"""Sending a stored upload back (supervision/uploads.py): as an attachment, under the name it was sent with."""
from flask import Response, send_file

from supervision.uploads import stored_path


def send_stored(storage_key: str, content_type: str, filename: str) -> Response:
    return send_file(stored_path(storage_key), mimetype=content_type, as_attachment=True, download_name=filename)


def send_evidence(entry: dict) -> Response:
    """An evidence entry kept as JSON on its record (an order's): {"storage_key", "content_type", "filename", …}."""
    return send_stored(entry["storage_key"], entry["content_type"], entry["filename"])
