"""A school year of staff activity, simulated on the emulator for the demo (never on Google).

Staff submit through the emulator's control endpoint exactly what the forms would receive;
unit heads type in their Sheet through the Sheets API as themselves.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from functions.adapters.clients import Clients, Target
from functions.blueprints import cells
from functions.config.deployment import Deployment
from functions.config.yamlread import strict_load
from functions.domain.forms import FormSpec
from functions.domain.model import Staff
from functions.services.registry import RegistryStore
from functions.services.workspace import Workspace

PHRASES = strict_load(Path(__file__).parent / "answers.yaml")


@dataclass
class Simulation:
    deployment: Deployment
    ws: Workspace
    emulator_url: str
    rng: random.Random

    def registry(self) -> Any:
        return RegistryStore(self.ws.state, self.deployment.settings.year).load()

    def _answers(self, spec: FormSpec, person: Staff, question_ids: dict[str, str]
                 ) -> dict[str, list[str]]:
        unit = self.deployment.directory().unit(person.unit_code)
        answers: dict[str, list[str]] = {}
        for question in spec.questions:
            if not question.collects_answer:
                continue
            key = question.key
            if key == "ho_ten":
                value = [person.name]
            elif key == "don_vi":
                value = [unit.choice_label if unit else ""]
            elif key == "chuc_vu":
                value = [person.position]
            elif question.options:
                value = [question.options[0] if self.rng.random() < 0.6
                         else self.rng.choice(question.options)]
            else:
                bank = next((PHRASES[k] for k in PHRASES if key.endswith(k)), PHRASES["noi_dung"])
                value = [self.rng.choice(bank)]
            answers[question_ids[key]] = value
        return answers

    def submit(self, form_key: str, share: float) -> int:
        """A share of the form's group submits; a few edit their answer afterwards."""
        spec = self.deployment.form(form_key)
        entry = self.registry().forms[form_key]
        people = [p for p in self.deployment.staff if p.group is spec.group]
        count = 0
        for person in people:
            if self.rng.random() > share:
                continue
            body = {"respondentEmail": person.email,
                    "answers": self._answers(spec, person, entry["questions"])}
            answer = requests.post(f"{self.emulator_url}/_emulator/forms/{entry['id']}/responses",
                                   json=body, timeout=30)
            answer.raise_for_status()
            count += 1
            if self.rng.random() < 0.1:  # changes their mind: an edit of the same response
                body["responseId"] = answer.json()["responseId"]
                body["answers"] = self._answers(spec, person, entry["questions"])
                requests.post(f"{self.emulator_url}/_emulator/forms/{entry['id']}/responses",
                              json=body, timeout=30).raise_for_status()
        return count

    def revise_confirmed_plan(self) -> str:
        """Someone edits a plan their head already confirmed (the sync then asks to re-confirm)."""
        form_key = "ke-hoach-nhom-2"
        spec, entry = self.deployment.form(form_key), self.registry().forms[form_key]
        listed = self.ws.forms.responses(entry["id"])
        response = next(iter(listed))
        person = self.deployment.directory().person(response.get("respondentEmail"))
        if person is None:
            return ""
        body = {"respondentEmail": person.email, "responseId": response["responseId"],
                "answers": self._answers(spec, person, entry["questions"])}
        requests.post(f"{self.emulator_url}/_emulator/forms/{entry['id']}/responses",
                      json=body, timeout=30).raise_for_status()
        return person.name

    def outsider(self) -> None:
        """Someone not in the roster: placed by the unit picked on the form, with a note."""
        form_key = "ke-hoach-nhom-2"
        spec, entry = self.deployment.form(form_key), self.registry().forms[form_key]
        stranger = Staff("Người Lạ", "nguoila@sgddt-demo.edu.vn", "Giáo viên hợp đồng", "",
                         spec.group)
        answers = self._answers(spec, stranger, entry["questions"])
        answers[entry["questions"]["don_vi"]] = [self.deployment.active_units[-1].choice_label]
        body = {"respondentEmail": stranger.email, "answers": answers}
        requests.post(f"{self.emulator_url}/_emulator/forms/{entry['id']}/responses",
                      json=body, timeout=30).raise_for_status()

    def heads_confirm(self, share: float) -> int:
        """Unit heads tick «Xác nhận» on plans in their own Sheet, as themselves."""
        return self._heads_type("Kế hoạch", "confirmed", lambda: True, share)

    def heads_evaluate(self) -> int:
        options = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                   "Hoàn thành nhiệm vụ"]
        return self._heads_type("Cả năm", "evaluation", lambda: self.rng.choice(options), 1.0)

    def heads_mark(self) -> int:
        """Heads commend a few, remind a few and mark good practices to spread (year end)."""
        return sum(self._heads_type("Cả năm", key, lambda: True, share)
                   for key, share in (("commend", 0.15), ("remind", 0.05),
                                      ("good_practice", 0.1)))

    def _heads_type(self, tab_title: str, key: str, value: Any, share: float) -> int:
        from functions.services.provision import layout_for

        layout = layout_for(self.deployment)
        tab = next(t for t in layout.tabs if t.title == tab_title)
        column = tab.person_column(key)
        registry = self.registry()
        typed = 0
        for unit in self.deployment.active_units:
            sheet_id = registry.units.get(unit.code, {}).get("sheet")
            if not sheet_id or not unit.head_emails or column is None:
                continue
            head = Clients(Target(emulator_url=self.emulator_url, user=unit.head_emails[0]))
            keys = head.service("sheets").spreadsheets().values().get(
                spreadsheetId=sheet_id, range=f"'{tab_title}'!A2:A").execute().get("values", [])
            letter = cells.column_letter(column)
            data = [{"range": f"'{tab_title}'!{letter}{row + 2}", "values": [[value()]]}
                    for row in range(len(keys)) if self.rng.random() < share]
            if data:
                head.service("sheets").spreadsheets().values().batchUpdate(
                    spreadsheetId=sheet_id,
                    body={"valueInputOption": "USER_ENTERED", "data": data}).execute()
                typed += len(data)
        return typed
