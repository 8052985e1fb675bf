"""News agency codes as they stand in datelines, and the names readers know them by.

The one table of agencies: the UI names them from here, the highlighter recognises them here.
"""

from __future__ import annotations

AGENCY_NAMES: dict[str, str] = {
    "ANP": "ANP",
    "RTR": "Reuters",
    "AFP": "AFP",
    "AP": "Associated Press",
    "DPA": "dpa",
    "BLOOMBERG": "Bloomberg",
    "BELGA": "Belga",
    "EFE": "EFE",
    "ANSA": "ANSA",
    "NTB": "NTB",
    "TT": "TT",
    "RITZAU": "Ritzau",
    "PAP": "PAP",
    "UPI": "UPI",
    "XINHUA": "Xinhua",
    "KYODO": "Kyodo",
    "YONHAP": "Yonhap",
    "TASS": "TASS",
    "UKRINFORM": "Ukrinform",
    "NOS": "NOS",
}


def agency_name(code: str) -> str:
    """The name to show for an agency code; an unknown code is shown as it stands."""
    return AGENCY_NAMES.get(code.upper(), code)
