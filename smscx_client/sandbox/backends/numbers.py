"""Numbers: lookup and validation (``_lookup.py``) and virtual number rental (``_rent.py``).

Sandbox control action (see ``_rent.py``)::

    POST /__sandbox/inbound-sms  {"to": "<rented number>", "from": "<sender>", "text": "..."}

delivers an SMS to a rented number: it is listed by ``get_inbound_sms``, POSTed to the rental's
``callbackUrl`` as a ``receive_sms`` callback, and answered with the received message.
"""

from __future__ import annotations

from smscx_client.sandbox.backends._lookup import (
    export_number_lookup_report_to_csv,
    export_number_lookup_report_to_xlsx,
    get_bulk_lookup_campaigns,
    get_bulk_lookup_status,
    get_single_lookup_status,
    lookup_number,
    lookup_numbers,
    validate_number,
    validate_numbers,
)
from smscx_client.sandbox.backends._rent import (
    cancel_rent,
    edit_rent_settings,
    get_available_numbers,
    get_inbound_sms,
    get_rent_status,
    get_rented_numbers,
    inbound_sms,
    renew_rent,
    rent_number,
)

__all__ = [
    "lookup_number",
    "lookup_numbers",
    "get_bulk_lookup_campaigns",
    "get_bulk_lookup_status",
    "get_single_lookup_status",
    "export_number_lookup_report_to_csv",
    "export_number_lookup_report_to_xlsx",
    "validate_number",
    "validate_numbers",
    "get_available_numbers",
    "rent_number",
    "get_rented_numbers",
    "get_rent_status",
    "renew_rent",
    "cancel_rent",
    "edit_rent_settings",
    "get_inbound_sms",
    "inbound_sms",
]
