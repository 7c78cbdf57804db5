"""Sending a stored upload back (supervision/uploads.py): as an attachment, under the name it was sent with."""
from flask import Response, send_file

from supervision.uploads import stored_path


def send_evidence(entry: dict) -> Response:
    """An evidence entry as the domain keeps it: {"storage_key", "content_type", "filename", …}."""
    return send_file(stored_path(entry["storage_key"]), mimetype=entry["content_type"], as_attachment=True,
                     download_name=entry["filename"])
