"""The People screen: everyone on the roster, each person's contact methods (secrets masked)
and notification plan; add, edit and delete people, contacts and plan steps, reorder the
plan, and send a test notification to a contact."""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid, Refused
from cltui.engine.messages import Message
from cltui.store import roster
from cltui.store.roster import ContactView, PersonView, PlanStep
from cltui.tui.modals.confirm import ConfirmScreen
from cltui.tui.modals.contact_form import ContactForm, ContactInput
from cltui.tui.modals.person_form import PersonForm, PersonInput
from cltui.tui.modals.plan_step_form import PlanStepForm
from cltui.tui.screens.roster_base import RosterScreen, restore_options, sync_rows

EMPTY_HINT = "No people yet. Press a to add a person, or run `cltui roster import FILE`."


def describe_then(plan: tuple[PlanStep, ...], index: int) -> str:
    step = plan[index]
    if index < len(plan) - 1:
        return f"step {index + 2} after {format_duration(step.wait)}"
    if step.repeat:
        return f"again every {format_duration(step.repeat)} until acknowledged"
    return "plan ends"


def test_message(person: PersonView, contact: ContactView, operator: str) -> Message:
    title = f"[cltui] Test notification for {person.handle}"
    body = (
        f'This is a test of {person.handle}\'s contact "{contact.label}", sent by '
        f"{operator or 'an operator'} from cltui. There is nothing to acknowledge."
    )
    payload: dict[str, object] = {
        "test": True,
        "person": person.handle,
        "contact": contact.label,
        "title": title,
        "message": body,
    }
    return Message(title, body, payload)


class PeopleScreen(RosterScreen):
    """People on the left; the selected person's contacts and plan on the right. What `a`,
    `e` and `d` act on follows the focus: the people list, the contacts or the plan."""

    HELP_TITLE = "People"
    PANES = ("people", "contacts", "plan")

    DEFAULT_CSS = """
    PeopleScreen > Horizontal {
        height: 1fr;
    }
    PeopleScreen #people-pane {
        width: 34;
        border-right: solid $primary-muted;
    }
    PeopleScreen .pane-title {
        text-style: bold;
        color: $text-accent;
        padding: 0 1;
    }
    PeopleScreen #people {
        height: 1fr;
        border: none;
    }
    PeopleScreen #person-pane {
        width: 1fr;
        padding: 0 1;
    }
    PeopleScreen #person-header {
        height: auto;
        margin-bottom: 1;
    }
    PeopleScreen #person-pane .pane-title {
        padding: 0;
    }
    PeopleScreen #contacts, PeopleScreen #plan {
        height: auto;
        max-height: 12;
        margin-bottom: 1;
    }
    PeopleScreen #people-hint {
        color: $text-muted;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("a", "add", "Add", id="people.add"),
        Binding("e", "edit", "Edit", id="people.edit"),
        Binding("d", "delete", "Delete", id="people.delete"),
        Binding("t", "test_contact", "Test contact", id="people.test_contact"),
        Binding("J", "move_step(1)", "Step down", id="people.move_down"),
        Binding("K", "move_step(-1)", "Step up", id="people.move_up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.people: dict[str, PersonView] = {}
        self.tests: dict[tuple[str, str], str] = {}
        self.loaded = False
        self.shown: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="people-pane"):
                yield Static("People", classes="pane-title")
                yield OptionList(id="people")
            with Vertical(id="person-pane"):
                yield Static("", id="person-header")
                yield Static("Contact methods", classes="pane-title person-part")
                contacts: DataTable[str] = DataTable(
                    id="contacts", cursor_type="row", classes="person-part"
                )
                yield contacts
                yield Static("Notification plan", classes="pane-title person-part")
                plan: DataTable[str] = DataTable(
                    id="plan", cursor_type="row", classes="person-part"
                )
                yield plan
                yield Static("", id="people-hint")
        yield Footer()

    def on_mount(self) -> None:
        contacts = self.query_one("#contacts", DataTable)
        contacts.add_column("Label", key="label", width=12)
        contacts.add_column("URL", key="url", width=42)
        contacts.add_column("Last test", key="test", width=24)
        plan = self.query_one("#plan", DataTable)
        plan.add_column("#", key="position", width=3)
        plan.add_column("Contact", key="contact", width=12)
        plan.add_column("Wait", key="wait", width=8)
        plan.add_column("Then", key="then", width=40)
        self.query_one("#people", OptionList).focus()
        super().on_mount()

    # ------------------------------------------------------------ reading

    @property
    def person(self) -> PersonView | None:
        option = self.query_one("#people", OptionList).highlighted_option
        return None if option is None or option.id is None else self.people.get(option.id)

    @property
    def focus_area(self) -> str:
        """Which part the keys act on: `people`, `contacts` or `plan`."""
        focused = self.focused
        if focused is not None and focused.id in ("contacts", "plan"):
            return focused.id
        return "people"

    def _row(self, table_id: str) -> int | None:
        table = self.query_one(f"#{table_id}", DataTable)
        return None if table.row_count == 0 else table.cursor_row

    @property
    def contact(self) -> ContactView | None:
        person, row = self.person, self._row("contacts")
        return None if person is None or row is None else person.contacts[row]

    @property
    def step_index(self) -> int | None:
        return self._row("plan")

    async def reload(self) -> None:
        people = await asyncio.to_thread(roster.people, self.ctx.db)
        self.people = {p.handle: p for p in people}
        current = self.person
        self._list_people(current.handle if current else None)
        self.loaded = True
        self.show_person()

    def _list_people(self, keep: str | None) -> None:
        restore_options(
            self.query_one("#people", OptionList),
            [
                Option(f"{p.handle}  [dim]{p.name}[/]", id=p.handle)
                for p in sorted(self.people.values(), key=lambda p: p.handle)
            ],
            keep,
        )

    def show(
        self, person: PersonView, *, contact: int | None = None, step: int | None = None
    ) -> None:
        """Take a person fresh from a write and show them, keeping the given rows."""
        if person.handle not in self.people:
            self.people[person.handle] = person
            self._list_people(person.handle)
        self.people[person.handle] = person
        self.show_person(contact=contact, step=step)

    def show_person(self, *, contact: int | None = None, step: int | None = None) -> None:
        person = self.person
        header = self.query_one("#person-header", Static)
        hint = self.query_one("#people-hint", Static)
        contacts = self.query_one("#contacts", DataTable)
        plan = self.query_one("#plan", DataTable)
        keep_contact = self._row("contacts") if contact is None else contact
        keep_step = self._row("plan") if step is None else step
        for part in self.query(".person-part"):
            part.display = person is not None
        if person is None:
            self.shown = None
            sync_rows(contacts, [])
            sync_rows(plan, [])
            header.update("")
            hint.update(EMPTY_HINT if self.loaded else "")
            return
        self.shown = person.handle
        header.update(f"[b]{person.handle}[/b]  {person.name}")
        sync_rows(
            contacts,
            [
                (c.label, (c.label, c.masked_url, self.tests.get((person.handle, c.label), "")))
                for c in person.contacts
            ],
            fallback=keep_contact,
        )
        # Plan steps are known by their place: row i always shows step i + 1.
        sync_rows(
            plan,
            [
                (
                    str(i),
                    (str(i + 1), s.contact, format_duration(s.wait), describe_then(person.plan, i)),
                )
                for i, s in enumerate(person.plan)
            ],
            fallback=keep_step,
        )
        problems = []
        if not person.contacts:
            problems.append("No contact methods: focus the contacts (→) and press a to add one.")
        elif not person.plan:
            problems.append("No plan: pages to this person reach nobody. Add a step to the plan.")
        hint.update("\n".join(problems))

    @on(OptionList.OptionHighlighted, "#people")
    def _person_highlighted(self) -> None:
        person = self.person
        if person is not None and person.handle == self.shown:
            self.show_person()  # the same person, listed again after a reload
        else:
            self.show_person(contact=0, step=0)

    @on(OptionList.OptionSelected, "#people")
    def _person_selected(self) -> None:
        self.query_one("#contacts", DataTable).focus()

    # ------------------------------------------------------------ people

    async def action_add(self) -> None:
        area = self.focus_area
        if area == "contacts":
            self._contact_form(None)
        elif area == "plan":
            self._step_form(None)
        else:
            self._person_form(None)

    async def action_edit(self) -> None:
        area = self.focus_area
        if area == "contacts":
            if self.contact is not None:
                self._contact_form(self.contact)
        elif area == "plan":
            if self.step_index is not None:
                self._step_form(self.step_index)
        elif self.person is not None:
            self._person_form(self.person)

    def action_delete(self) -> None:
        person = self.person
        if person is None:
            return
        area = self.focus_area
        index = self.step_index
        if area == "plan":
            if index is None:
                return
            step = person.plan[index]
            question = (
                f"Delete step {index + 1} of {person.handle}'s plan "
                f"({step.contact}, wait {format_duration(step.wait)})?"
            )
        elif area == "contacts":
            contact = self.contact
            if contact is None:
                return
            question = f"Delete {person.handle}'s contact {contact.label} ({contact.masked_url})?"
        else:
            question = f"Delete {person.handle} ({person.name or 'no name'}) from the roster?"

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            if area == "plan" and index is not None:
                await self._delete_step(self.people.get(person.handle, person), index)
            elif area == "contacts" and contact is not None:
                changed = await self.write(roster.delete_contact, person.handle, contact.label)
                if changed is not None:
                    self.show(changed)
            else:
                try:
                    await self.ctx.engine.edit_roster(
                        roster.delete_person, person.handle, actor=self.ctx.operator
                    )
                except (Invalid, Refused) as error:
                    self.notify(str(error), title="Not deleted", severity="error")
                    return
                self.people.pop(person.handle, None)
                self._list_people(None)
                self.show_person(contact=0, step=0)
                self.notify(f"{person.handle} deleted")

        self.app.push_screen(ConfirmScreen(question, yes="Delete", title="Delete"), answered)

    def _person_form(self, person: PersonView | None) -> None:
        async def save(given: PersonInput) -> None:
            original = person.handle if person else None
            saved = await self.ctx.engine.edit_roster(
                roster.save_person,
                given.handle,
                given.name,
                original=original,
                actor=self.ctx.operator,
            )
            self.people.pop(original or saved.handle, None)
            self.people[saved.handle] = saved
            self._list_people(saved.handle)
            self.show_person()

        self.app.push_screen(PersonForm(person, save))

    # ------------------------------------------------------------ contacts

    def _contact_form(self, contact: ContactView | None) -> None:
        person = self.person
        if person is None:
            return

        async def save(given: ContactInput) -> None:
            url = given.url or (contact.url if contact else "")
            saved = await self.ctx.engine.edit_roster(
                roster.save_contact,
                person.handle,
                given.label,
                url,
                original=contact.label if contact else None,
                actor=self.ctx.operator,
            )
            labels = [c.label for c in saved.contacts]
            self.show(saved, contact=labels.index(given.label))

        self.app.push_screen(ContactForm(person.handle, contact, save))

    def action_test_contact(self) -> None:
        person = self.person
        if person is None:
            return
        if self.focus_area == "people":
            self.notify(
                f"t tests one of {person.handle}'s contacts: press → to focus the contacts "
                "(or the plan), pick one, then press t."
            )
            return
        contact = self.contact
        if self.focus_area == "plan" and self.step_index is not None:
            contact = person.contact(person.plan[self.step_index].contact)
        if contact is None:
            return
        self.run_worker(self._send_test(person, contact), group="test", exit_on_error=False)

    async def _send_test(self, person: PersonView, contact: ContactView) -> None:
        key = (person.handle, contact.label)
        self._set_test(key, "sending…")
        message = test_message(person, contact, self.ctx.operator)
        result = await self.ctx.engine.notifier.send("contact", contact.url, message)
        outcome = "delivered" if result.ok else f"failed: {result.detail}"
        self._set_test(key, outcome)
        self.notify(
            f"Test to {person.handle} via {contact.label} ({contact.masked_url}): {outcome}",
            title="Test notification",
            severity="information" if result.ok else "error",
        )

    def _set_test(self, key: tuple[str, str], outcome: str) -> None:
        self.tests[key] = outcome
        person = self.person
        if person is not None and person.handle == key[0]:
            table = self.query_one("#contacts", DataTable)
            if key[1] in [c.label for c in person.contacts]:
                table.update_cell(key[1], "test", outcome, update_width=True)

    # ------------------------------------------------------------ plan

    async def _save_plan(self, person: PersonView, plan: list[PlanStep], index: int) -> PersonView:
        """Store the plan; a problem with step `index` is the form's to show."""
        try:
            saved = await self.ctx.engine.edit_roster(
                roster.set_plan, person.handle, plan, actor=self.ctx.operator
            )
        except Invalid as error:
            if error.field.startswith(f"plan[{index + 1}]"):
                raise Invalid(error.field.rsplit(".", 1)[-1], error.problem) from None
            raise Refused(str(error)) from None
        self.show(saved, step=index)
        return saved

    def _step_form(self, index: int | None) -> None:
        person = self.person
        if person is None:
            return
        if not person.contacts:
            self.notify(f"{person.handle} has no contact methods yet: add one first.")
            return
        existing = None if index is None else person.plan[index]
        at = len(person.plan) if index is None else index
        last = at >= len(person.plan) - (0 if index is None else 1)

        async def save(step: PlanStep) -> None:
            current = self.people.get(person.handle, person)
            plan = list(current.plan)
            if index is None:
                if plan and plan[-1].repeat:
                    # Only the last step repeats: the new last step takes it over.
                    plan[-1] = PlanStep(plan[-1].contact, plan[-1].wait, 0)
                plan.append(step)
            else:
                plan[index] = step
            await self._save_plan(current, plan, at)

        self.app.push_screen(
            PlanStepForm(
                person.handle,
                person.contacts,
                existing,
                last=last,
                repeat=person.plan[-1].repeat if person.plan and index is None else 0,
                save=save,
            )
        )

    async def _delete_step(self, person: PersonView, index: int) -> None:
        if not index < len(person.plan):
            return
        plan = list(person.plan)
        plan.pop(index)
        if plan and index == len(plan) and person.plan[index].repeat and not plan[-1].repeat:
            # The repeating last step went: the new last step takes over its repeat.
            plan[-1] = PlanStep(plan[-1].contact, plan[-1].wait, person.plan[index].repeat)
        changed = await self.write(roster.set_plan, person.handle, plan)
        if changed is not None:
            self.show(changed, step=min(index, len(plan) - 1))
            self.notify(f"Step {index + 1} of {person.handle}'s plan deleted")

    async def action_move_step(self, delta: int) -> None:
        if self.focus_area != "plan":
            self.notify("J and K move a step of the notification plan: press → twice to focus it.")
            return
        person, index = self.person, self.step_index
        if person is None or index is None:
            return
        target = index + delta
        if not 0 <= target < len(person.plan):
            return
        plan = list(person.plan)
        plan.insert(target, plan.pop(index))
        # Only the last step repeats: the repeat stays with the last place.
        repeat = person.plan[-1].repeat
        plan = [PlanStep(s.contact, s.wait, 0) for s in plan]
        if repeat:
            plan[-1] = PlanStep(plan[-1].contact, plan[-1].wait, repeat)
        changed = await self.write(roster.set_plan, person.handle, plan)
        if changed is not None:
            self.show(changed, step=target)
