"""The QR code of an edition's web address, as an SVG `data:` URL for an <img> (segno draws it)."""

from __future__ import annotations

import base64
import io

QUIET_ZONE_MODULES = 4  # ISO/IEC 18004 asks for a quiet zone of four modules around the symbol


def qr_svg(url: str) -> bytes:
    """A black-on-white QR code holding exactly `url`: error correction M (15 % may be damaged or
    creased), a viewBox so that it scales to any printed size, no XML declaration."""
    import segno

    code = segno.make(url, error="m", micro=False, boost_error=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=1, border=QUIET_ZONE_MODULES, dark="#000", light="#fff", xmldecl=False, omitsize=True, svgclass=None, lineclass=None)
    return buffer.getvalue()


def qr_data_url(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url)).decode("ascii")
