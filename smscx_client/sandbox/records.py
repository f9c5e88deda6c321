"""Every record the sandbox keeps: one dataclass per resource (moto's ``models.py``).

The account (``state.AccountState``) holds them in typed stores, one per resource
(``account.groups: Store[Group]``, ``account.templates: Store[Template]`` ...), and offers the
accessors several backends share (``add_optout``, ``is_opted_out``, ``add_inbound`` ...). Each
store has one owning backend that creates and changes its records; others only read them.

Conventions: field names are Python's (``phone_number``), never the API's JSON names, so a
renamed field is a type error wherever it is used; the JSON views are built in the backends.
Timestamps (``created_at``, ``expires_at`` ...) are sandbox-clock Unix seconds, formatted with
``clock.fmt`` only in answers. Money is ``Decimal`` (``state.money``), turned into JSON numbers
in answers. Nested JSON documents the API defines as free-form (an application's settings, a
reply's rich media) stay dicts.

Store (owner) -> record, key:

* ``groups`` (groups.py) -> ``Group``, int id; its ``contacts`` map phoneNumberId -> ``Contact``.
* ``optouts`` (optouts.py) -> ``Optout``, int id.
* ``originators`` (originators.py) -> ``Originator``, int id.
* ``templates`` (templates.py) -> ``Template``, int id.
* ``shortlinks`` (shortlinks.py) -> ``Shortlink``, shortId; ``attachments`` (attachments.py) ->
  ``Attachment``, attachmentId; both keep their ``Hit`` list (_hits.py).
* ``campaigns`` (_messaging.py) -> ``Campaign``, campaignId: one per send request.
* ``links`` (_messaging.py) -> ``Link``, the per-recipient code of a tracked URL.
* ``inbound`` (``AccountState.add_inbound``: _rent.py, _delivery.py, conversations.py) ->
  ``Inbound``, msgId.
* ``conversations`` (conversations.py) -> ``ConversationState``, conversation id: what was read.
* ``otps`` (otp.py) -> ``Otp``, otpId.
* ``rentals`` (_rent.py) -> ``RentedNumber``, rentId.
* ``lookups`` / ``lookup_bulks`` (_lookup.py) -> ``Lookup`` (lookupId) / ``LookupBulk`` (lookupBulkId).
* ``account.messages`` (_messaging.py and every other sender) -> ``Message``, msgId: the outbox.
* ``account.application`` (applications.py) -> ``Application``; ``state.tokens`` (oauth.py) ->
  ``Token``, the access token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Set

if TYPE_CHECKING:
    from smscx_client.sandbox.backends._rent_catalog import Offer
    from smscx_client.sandbox.state import Clock

__all__ = [
    "Application",
    "Attachment",
    "Campaign",
    "CampaignGroup",
    "Contact",
    "ConversationState",
    "Group",
    "Hit",
    "Inbound",
    "Link",
    "Lookup",
    "LookupBulk",
    "Message",
    "Optout",
    "Originator",
    "Otp",
    "RentedNumber",
    "RichMedia",
    "Shortlink",
    "StrategyStep",
    "Template",
    "Token",
]


# -- contacts --------------------------------------------------------------------------------
@dataclass
class Contact:
    """A number in a group, with the details a message's placeholders may use."""

    phone_number_id: str  # a UUID
    phone_number: str  # E.164
    country_iso: str
    created_at: float
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    email: Optional[str] = None
    field1: Optional[str] = None
    field2: Optional[str] = None
    field3: Optional[str] = None
    field4: Optional[str] = None
    field5: Optional[str] = None
    custom_fields: Dict[str, str] = field(default_factory=dict)

    def details(self) -> Dict[str, Optional[str]]:
        """The details under their API names (``firstName`` ... ``field5``), in the API's order."""
        return {
            "firstName": self.first_name,
            "lastName": self.last_name,
            "email": self.email,
            "field1": self.field1,
            "field2": self.field2,
            "field3": self.field3,
            "field4": self.field4,
            "field5": self.field5,
        }

    def set_details(self, values: Mapping[str, Any]) -> None:
        """Change the details ``values`` names (API names, as ``details`` gives them)."""
        self.first_name = values.get("firstName", self.first_name)
        self.last_name = values.get("lastName", self.last_name)
        self.email = values.get("email", self.email)
        self.field1 = values.get("field1", self.field1)
        self.field2 = values.get("field2", self.field2)
        self.field3 = values.get("field3", self.field3)
        self.field4 = values.get("field4", self.field4)
        self.field5 = values.get("field5", self.field5)


@dataclass
class Group:
    """A contact list; a number appears once in it."""

    id: int
    name: str
    created_at: float
    contacts: Dict[str, Contact] = field(default_factory=dict)  # by phone_number_id


@dataclass
class Optout:
    """A number on the unsubscribe list (messages to it are REJECTED at cost 0)."""

    id: int
    phone_number: str  # E.164
    country_iso: str
    source: str  # api link sms manual
    created_at: float
    campaign_id: Optional[str] = None
    group_id: Optional[int] = None
    group_name: Optional[str] = None
    campaign_name: Optional[str] = None


@dataclass
class Originator:
    """A sender ID: PENDING until approved on the sandbox clock."""

    id: int
    name: str  # the API's `originator`
    status: str  # PENDING APPROVED
    is_default: bool
    created_at: float


# -- templates -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RichMedia:
    """A Viber/WhatsApp template's image and button (all None for none)."""

    image_url: Optional[str] = None
    button_caption: Optional[str] = None
    target_url: Optional[str] = None


@dataclass
class Template:
    """A reusable message text of one channel."""

    id: int
    name: str
    text: str
    channel: str  # sms viber whatsapp
    type: Optional[str]  # promotional transactional (Viber/WhatsApp), None for SMS
    rich_media: RichMedia
    created_at: float
    approved: bool = False
    locked: bool = False


# -- links and their hits --------------------------------------------------------------------
@dataclass
class Hit:
    """One visit of a short link or attachment link (the API's hit fields, ``datetime`` apart)."""

    hit_id: int  # unique across every link of the account
    created_at: float
    device: Optional[str]  # mobile tablet desktop
    browser: Optional[str]
    browser_version: Optional[str]
    os: Optional[str]
    os_version: Optional[str]
    brand: Optional[str]
    model: Optional[str]
    screen_resolution: Optional[str]
    accept_language: Optional[str]
    referrer: Optional[str]
    ip_address: Optional[str]  # anonymised
    country_iso: Optional[str]
    city: Optional[str]
    phone_number: Optional[str] = None  # E.164, when the visit was tracked
    phone_number_country_iso: Optional[str] = None
    campaign_id: Optional[str] = None
    group_id: Optional[str] = None


@dataclass
class Shortlink:
    """A short link to ``url``; ``short_url`` is on the reserved test domain."""

    id: str  # the API's shortId
    name: str
    url: str
    short_url: str
    created_at: float
    hits: List[Hit] = field(default_factory=list)  # oldest first


@dataclass
class Attachment:
    """A file uploaded in the dashboard (the sandbox makes them with a control action)."""

    id: str  # the API's attachmentId
    name: str
    file_url: str
    file_type: str
    short_url: str
    created_at: float
    hits: List[Hit] = field(default_factory=list)  # oldest first


# -- sending ---------------------------------------------------------------------------------
@dataclass
class StrategyStep:
    """One channel of a multichannel message's failover strategy, composed for its recipient."""

    channel: str  # viber whatsapp sms
    text: str
    parts: int
    cost: Decimal  # charged when the step starts


@dataclass
class Message:
    """One message 'sent' (the outbox entry) and its delivery state."""

    msg_id: str
    channel: str  # sms viber whatsapp multichannel
    to: str
    sender: str
    text: str
    parts: int
    cost: Decimal
    status: str  # ACCEPTED SCHEDULED REJECTED NO COVERAGE SENT DELIVERED FAILED
    campaign_id: str
    country_iso: str
    created_at: float
    scheduled_at: Optional[float] = None
    deliver_at: Optional[float] = None  # when the final status is reached
    final_status: str = "DELIVERED"
    error_code: Optional[int] = None
    dlr_callback_url: Optional[str] = None
    track_data: Optional[str] = None
    source: str = "api"
    traffic: str = "transactional"
    unicode: bool = False
    length: int = 0
    in_quiet_hours: bool = False
    updated_at: Optional[float] = None  # when the delivery pipeline last changed the status
    # multichannel: the strategy, the step (index) and channel (``route``) carrying the message
    # now, how long a silent channel is given, and whether a step could not be paid
    strategy: Optional[List[StrategyStep]] = None
    step: int = 0
    route: Optional[str] = None
    ttl: int = 0
    halted: bool = False
    conversation_id: Optional[str] = None  # a conversation reply's conversation
    rich_media: Dict[str, Any] = field(default_factory=dict)  # a conversation reply's, as sent
    otp_id: Optional[str] = None  # the OTP whose PIN it carries

    STATUS_CODES = {
        "ACCEPTED": 1,
        "SENT": 2,
        "DELIVERED": 3,
        "FAILED": 4,
        "SCHEDULED": 5,
        "REJECTED": 6,
        "NO COVERAGE": 7,
    }

    @property
    def status_code(self) -> int:
        """The sandbox's numeric code of ``status``."""
        return self.STATUS_CODES.get(self.status, 0)

    def outbox(self, clock: Clock) -> Dict[str, Any]:
        """The control-plane view (``GET /__sandbox/messages``)."""
        return {
            "msgId": self.msg_id,
            "channel": self.channel,
            "to": self.to,
            "from": self.sender,
            "text": self.text,
            "parts": self.parts,
            "cost": float(self.cost),
            "status": self.status,
            "campaignId": self.campaign_id,
            "scheduledAt": clock.fmt(self.scheduled_at) if self.scheduled_at else None,
            "createdAt": clock.fmt(self.created_at),
            "countryIso": self.country_iso,
            "trackData": self.track_data,
            # what the inbox page shows besides: the SMS encoding, the channel a multichannel
            # message is on now, why it failed, and what it belongs to
            "encoding": ("UCS-2" if self.unicode else "GSM-7") if (self.route or self.channel) == "sms" else None,
            "route": self.route,
            "errorCode": self.error_code,
            "updatedAt": clock.fmt(self.updated_at) if self.updated_at else None,
            "otpId": self.otp_id,
            "conversationId": self.conversation_id,
        }


@dataclass
class CampaignGroup:
    """A group a campaign went to, as it was when sent."""

    id: int
    name: str
    phone_numbers: int


@dataclass
class Campaign:
    """One send request (a message to numbers, or a campaign to groups) as the pipeline took it."""

    campaign_id: str
    channel: str
    kind: str  # message campaign
    groups: Optional[List[CampaignGroup]]
    sender: str
    text: str  # the first recipient's
    total_phone_numbers: int
    total_valid: int
    total_invalid: int
    duplicates_removed: int
    total_cost: Decimal
    dlr_callback_url: Optional[str]
    scheduled_at: Optional[float]
    created_at: float
    source: str = "api"


@dataclass
class Link:
    """A per-recipient tracked URL of a ``{{shortlink:ID}}``, ``{{attachement:ID}}`` or
    ``{{optoutLink}}`` placeholder."""

    code: str
    kind: str  # shortlink attachment optout
    target_id: Optional[str]  # shortId or attachmentId (None for the opt-out link)
    url: str
    msg_id: str
    phone_number: str
    campaign_id: str = ""  # set with created_at once the send succeeds
    created_at: float = 0.0


@dataclass
class Inbound:
    """A message the account received (an SMS to a rented number, a reply on any channel)."""

    msg_id: str
    sender: str  # E.164, or an alphanumeric name (the API's `from`)
    to: str  # our number or sender name
    text: str
    channel: str  # sms viber whatsapp
    country_iso: str
    created_at: float
    rent_id: Optional[str] = None  # the rental it reached, if any
    rich_media: Dict[str, Any] = field(default_factory=dict)

    def view(self, clock: Clock) -> Dict[str, Any]:
        """The control-plane view (``GET /__sandbox/inbox``, ``received``)."""
        return {
            "msgId": self.msg_id,
            "channel": self.channel,
            "from": self.sender,
            "to": self.to,
            "text": self.text,
            "countryIso": self.country_iso,
            "receivedAt": clock.fmt(self.created_at),
            "rentId": self.rent_id,
        }


@dataclass
class ConversationState:
    """What a conversation keeps of its own: the inbound msgIds already read."""

    id: str
    read: Set[str] = field(default_factory=set)


# -- OTP and numbers -------------------------------------------------------------------------
@dataclass
class Otp:
    """A PIN sent by SMS and its verification state."""

    otp_id: str
    track_id: Optional[str]
    phone_number: str
    country_iso: str
    status: str  # PENDING VERIFIED FAILED EXPIRED CANCELLED
    cost: Decimal
    parts: int
    max_attempts: int
    ttl: int
    otp_callback_url: Optional[str]
    created_at: float
    expires_at: float
    pin: str
    msg_id: Optional[str]  # its SMS in the outbox (None for the example OTP)
    attempts: int = 0  # wrong PINs so far


@dataclass
class RentedNumber:
    """A rental of a catalogue offer; active until cancelled or past ``rent_end``."""

    rent_id: str
    offer: Offer
    rent_period: int  # days
    rent_cost: Decimal  # the last period's price
    paid: Decimal  # rent charged so far (what a cancel gives back)
    setup_cost: Decimal
    rent_start: float
    rent_end: float
    created_at: float
    callback_url: Optional[str]
    auto_renew: bool
    approved: bool
    cancelled: bool = False


@dataclass
class Lookup:
    """A finished number lookup (single, or one number of a bulk)."""

    lookup_id: str
    phone_number: str
    country_iso: str
    country_name: str
    country_name_locale: str
    status: str  # ACTIVE ABSENT FAILED
    status_description: str
    ported: bool
    original_network: Optional[str]
    ported_network: Optional[str]  # the network it was ported to (None when not ported)
    cost: Decimal
    created_at: float  # when it was asked for
    bulk_id: Optional[str] = None


@dataclass
class LookupBulk:
    """A bulk lookup: finished chunk by chunk on the sandbox clock."""

    id: str
    created_at: float
    total: int
    valid: int
    cost: Decimal
    countries: List[str]
    callback_url: Optional[str]
    done: List[str] = field(default_factory=list)  # lookupIds finished, in order


# -- OAuth -----------------------------------------------------------------------------------
@dataclass
class Application:
    """The sandbox's one OAuth application (its id and secret are the sandbox credentials)."""

    id: int
    name: str
    token_expiration: int  # seconds
    created_at: float
    settings: Dict[str, Any]  # the API's `Settings` document: {section: {key: value}}


@dataclass
class Token:
    """An access token's grant."""

    scopes: List[str]
    expires_at: float
