"""The taper as an iCalendar file for the patient's phone: one event per dose,
in the patient's language. Times are floating (the phone's own time zone)."""

from __future__ import annotations

import datetime
import hashlib

from icalendar import Calendar, Event

from handouts.dose_text import DoseWords
from handouts.order import DischargeOrder

DOSE_MINUTES = 15


def taper_calendar(order: DischargeOrder, words: DoseWords) -> bytes:
    plan = order.plan
    supply = plan.prescription.supply
    calendar = Calendar()
    calendar.add("prodid", "-//handouts//baclofen taper//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", words.translations.gettext("Your baclofen taper plan"))
    # A fixed stamp and content-derived UIDs: the same order gives the same file.
    stamp = datetime.datetime.combine(order.discharge_date, datetime.time(0, 0), tzinfo=datetime.UTC)
    for day, step in plan.days():
        for dose in step.doses:
            if not dose.mg:
                continue
            start = datetime.datetime.combine(day, order.clock_times[dose.time])
            summary = words.translations.gettext("Baclofen %(amount)s: %(how)s") % {
                "amount": words.mg(dose.mg),
                "how": words.preparation(dose.preparation, supply),
            }
            event = Event()
            event.add("uid", _uid(order, day, dose.time))
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(minutes=DOSE_MINUTES))
            event.add("summary", summary)
            event.add("description", words.dose_time(dose.time))
            calendar.add_component(event)
    return bytes(calendar.to_ical())


def _uid(order: DischargeOrder, day: datetime.date, time: str) -> str:
    # From the plan, not from who the patient is: no health data in the UID.
    plan = order.plan
    seed = f"{order.discharge_date}|{plan.steps[0].first_day}|{plan.prescription.daily_mg}|{day}|{time}"
    return f"{hashlib.sha256(seed.encode()).hexdigest()[:24]}@handouts"
