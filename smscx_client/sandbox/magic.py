"""Phone numbers with a fixed, documented behaviour in the sandbox (all valid French mobiles)."""

from typing import Dict

__all__ = ["MAGIC_NUMBERS"]

MAGIC_NUMBERS: Dict[str, str] = {
    # accepted, then DELIVERED (any other valid number behaves the same way)
    "delivered": "+33600000001",
    # accepted, then FAILED with an error code
    "delivery_failed": "+33600000002",
    # no coverage: a send to it alone is refused with 403 no_coverage (1119); in a batch it
    # gets the status NO COVERAGE at cost 0
    "no_coverage": "+33600000003",
    # accepted, then SENT, and never a final report
    "no_final_report": "+33600000004",
    # accepted, DELIVERED only after 55 s of sandbox time
    "slow_delivery": "+33600000005",
    # answers every message with an inbound SMS ("STOP" opt-outs are handled separately)
    "auto_reply": "+33600000006",
    # number lookup: the number was ported to another network
    "lookup_ported": "+33600000007",
    # number lookup: the number is valid but not reachable (switched off)
    "lookup_unreachable": "+33600000008",
}
