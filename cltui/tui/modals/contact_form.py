"""Add or change one of a person's contact methods: a label and an apprise URL. An existing
URL is never shown in the clear: leave the field empty to keep it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.widget import Widget
from textual.widgets import Input

from cltui.domain import validation as check
from cltui.store import apprise_urls
from cltui.store.roster import ContactView
from cltui.tui.modals.roster_fields import Checked, FormField, RosterForm, Save


@dataclass(frozen=True)
class ContactInput:
    label: str
    url: str
    """The new URL; empty when editing means keep the current one."""


class ContactForm(RosterForm[ContactInput]):
    """Label and apprise URL, checked with apprise as the store checks them."""

    def __init__(
        self,
        handle: str,
        contact: ContactView | None = None,
        save: Save[ContactInput] | None = None,
    ) -> None:
        super().__init__(save)
        self.handle = handle
        self.contact = contact
        self.title_text = (
            f"Edit contact {contact.label} of {handle}"
            if contact
            else f"Add a contact for {handle}"
        )

    def _check_url(self, value: str) -> str:
        if self.contact is not None and not value.strip():
            return ""
        return apprise_urls.validate(value)

    def fields(self) -> Iterable[Widget]:
        contact = self.contact
        yield FormField(
            "label",
            "Label",
            Input(
                contact.label if contact else "",
                placeholder="sms",
                validators=[Checked(check.label)],
                id="label",
            ),
            hint="a short name for this way of reaching them: sms, email, push …",
        )
        yield FormField(
            "url",
            "Apprise URL",
            Input(
                "",
                placeholder="mailto://…, tgram://…, twilio://…, ntfy://…, json://…",
                validators=[Checked(self._check_url)],
                password=contact is not None,
                id="url",
            ),
            hint=(
                f"now {contact.masked_url}; leave empty to keep it"
                if contact
                else "see https://github.com/caronc/apprise/wiki for every service"
            ),
        )

    def collect(self) -> ContactInput:
        return ContactInput(
            label=check.label(self.query_one("#label", Input).value),
            url=self._check_url(self.query_one("#url", Input).value),
        )
