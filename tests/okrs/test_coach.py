"""The OKR quality coach: a labelled corpus in English and German, and the rules' edges.

The corpus is labelled the way a demanding OKR coach would review each draft; the
coach has to reach a micro-averaged precision and recall of at least 0.9 on it per language.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from lodestar.okrs import coach
from lodestar.okrs.coach import (
    KeyResultDraft,
    ObjectiveDraft,
    detect_language,
    review_key_result,
    review_objective,
    review_portfolio,
)

TODAY = datetime.date(2025, 6, 30)
RECENTLY = datetime.date(2025, 5, 2)
LAST_YEAR = datetime.date(2025, 1, 10)


def kr(title, kind="metric", start=None, target=None, **fields) -> KeyResultDraft:
    def number(value):
        return None if value is None else Decimal(str(value))

    return KeyResultDraft(title=title, kind=kind, start_value=number(start), target_value=number(target), **fields)


def objective(title, *key_results, **fields) -> ObjectiveDraft:
    return ObjectiveDraft(title=title, key_results=key_results, **fields)


@dataclass(frozen=True)
class Example:
    draft: KeyResultDraft | ObjectiveDraft
    expected: frozenset[str]
    objective_title: str = ""


def example(draft, *expected, under=""):
    return Example(draft=draft, expected=frozenset(expected), objective_title=under)


# Good key results to fill objectives whose own review is the point of the example.
EN_GOOD_KRS = (
    kr("Raise dealer NPS from 31 to 45", start=31, target=45),
    kr("Cut average repair turnaround from 10 to 6 days", start=10, target=6),
    kr("Keep gateway uptime above 99.8 %", kind="threshold", target="99.8"),
    kr("Grow weekly active fleet managers from 1,200 to 2,000", start=1200, target=2000),
    kr("Reduce open security findings from 24 to 5", start=24, target=5),
    kr("Lower cloud cost per device from €0.55 to €0.40", start="0.55", target="0.40"),
)
DE_GOOD_KRS = (
    kr("Händler-NPS von 31 auf 45 steigern", start=31, target=45),
    kr("Reparaturdurchlaufzeit von 10 auf 6 Tage senken", start=10, target=6),
    kr("Verfügbarkeit der Gateways über 99,8 % halten", kind="threshold", target="99.8"),
    kr("Wöchentlich aktive Flottenmanager von 1.200 auf 2.000 erhöhen", start=1200, target=2000),
    kr("Offene Sicherheitsbefunde von 24 auf 5 reduzieren", start=24, target=5),
    kr("Cloud-Kosten pro Gerät von 0,55 € auf 0,40 € senken", start="0.55", target="0.40"),
)

EN_CORPUS = (
    # Good key results, some of them tricky.
    example(kr("Reduce churn from 8 % to 5 %", start=8, target=5), under="Keep our customers longer"),
    example(kr("Cut first response time from 9 h to 2 h", start=9, target=2), under="Make support effortless"),
    example(
        kr("Raise ARR from OEM accounts from €1.2M to €2M", start=1200000, target=2000000),
        under="Grow our OEM business in North America",
    ),
    example(
        kr("Raise API uptime from 99.5 % to 99.9 %", start="99.5", target="99.9"),
        under="Build a platform developers trust",
    ),
    example(
        kr("Keep telematics gateway uptime above 99.8 %", kind="threshold", target="99.8"),
        under="Be the most reliable link to every machine",
    ),
    example(kr("Increase dealer NPS from 31 to 45", start=31, target=45), under="Become the partner dealers recommend"),
    example(
        kr("ISO 27001 certificate issued by the external auditor", kind="milestone"),
        under="Earn the trust of enterprise buyers",
    ),
    example(
        kr("Engineers rate on-call as sustainable in the quarterly pulse survey", kind="estimate", created_on=RECENTLY),
        under="Make on-call bearable",
    ),
    example(
        kr("Launch self-service so that tickets drop from 400 to 250 per month", start=400, target=250),
        under="Make support effortless",
    ),
    example(
        kr("Reduce time-to-hire for engineering roles from 62 to 40 days", start=62, target=40),
        under="Hire great engineers faster",
    ),
    example(
        kr("Grow weekly active fleet managers in the portal from 1,200 to 2,000", start=1200, target=2000),
        under="Make the portal part of every fleet manager's day",
    ),
    example(
        kr("Keep monthly cloud cost per connected device below €0.40", kind="threshold", target="0.40"),
        under="Scale the cloud profitably",
    ),
    example(
        kr("Increase share of devices on current firmware from 55 % to 90 %", start=55, target=90),
        under="Keep the fleet secure",
    ),
    example(kr("Lower regretted attrition from 9 % to 6 %", start=9, target=6), under="Make this a place people stay"),
    example(kr("Cut nightly build time from 40 to 15 minutes", start=40, target=15), under="Ship with confidence"),
    example(kr("Keep invoice errors below 1 %", kind="threshold", target=1), under="Get billing right"),
    example(
        kr("Customer health score of the top 20 accounts reaches green", kind="milestone"),
        under="Keep our biggest customers",
    ),
    example(
        kr("Get 10 reference customers willing to speak to prospects", start=0, target=10),
        under="Win the North American OEM market",
    ),
    example(
        kr("First-time fix rate of field service at 85 % or higher", kind="threshold", target=85),
        under="Keep machines running",
    ),
    example(
        kr("Reach 500 connected machines at new OEM customers", start=120, target=500),
        under="Grow our OEM business in North America",
    ),
    example(
        kr("Sales team uses the new forecast every week", kind="estimate", created_on=RECENTLY),
        under="Plan sales on facts",
    ),
    example(kr("Publish a new pricing page", kind="milestone"), "kr_output", under="Win back lost trials"),
    example(kr("Design the new onboarding flow", kind="milestone"), "kr_output", under="Win back lost trials"),
    example(
        kr("Conduct 30 customer interviews", start=0, target=30), "kr_output", under="Understand our OEM customers"
    ),
    example(kr("Reduce the number of escalations", kind="estimate"), "kr_vague", under="Make support effortless"),
    example(kr("Employee engagement score", kind="estimate"), "kr_vague", under="Make this a place people stay"),
    example(
        kr("Cut warranty claims per 1,000 devices from 14 to 8", start=14, target=8),
        under="Build devices right the first time",
    ),
    example(
        kr("Half of all support tickets resolved in the portal without an agent", kind="estimate", created_on=RECENTLY),
        under="Make support effortless",
    ),
    example(
        kr("Lower scrap rate from 3 % to 1.5 % while keeping output stable", start=3, target="1.5"),
        under="Build devices right the first time",
    ),
    example(kr("Automate the month-end close", kind="milestone"), "kr_output", under="Close the books faster"),
    example(kr("Replace the legacy MQTT broker", kind="milestone"), "kr_output", under="Be the most reliable link"),
    example(kr("Strengthen our employer brand", kind="estimate"), "kr_vague", under="Hire great engineers faster"),
    example(
        kr("Reduce onboarding time for new dealers to 5 days", kind="milestone"),
        "kr_target_only_in_title",
        under="Delight dealers",
    ),
    example(
        kr("Every engineer pairs with support for one day per quarter", kind="milestone"),
        "kr_output",
        under="Engineers understand our customers",
    ),
    example(objective("Grow ARR to €10M", *EN_GOOD_KRS[:3], level="company"), "objective_is_number"),
    # Outputs instead of outcomes.
    example(kr("Launch the new customer portal", kind="milestone"), "kr_output", under="Delight fleet operators"),
    example(kr("Implement Salesforce CPQ", kind="milestone"), "kr_output", under="Close deals faster"),
    example(kr("Hold 4 customer workshops", start=0, target=4), "kr_output", under="Understand our OEM customers"),
    example(
        kr("Write the onboarding handbook for new hires", kind="milestone"),
        "kr_output",
        under="Get new hires productive sooner",
    ),
    example(kr("Migrate billing to Stripe", kind="milestone"), "kr_output", under="Get billing right"),
    example(kr("Ship 3 new features to production", start=0, target=3), "kr_output", under="Win back lost trials"),
    example(kr("Roll out the new dealer app to all regions", kind="milestone"), "kr_output", under="Delight dealers"),
    example(kr("Set up 5 partner integrations", start=0, target=5), "kr_output", under="Be open to every ecosystem"),
    example(kr("Organize the company kick-off", kind="milestone"), "kr_output", under="Everyone knows our strategy"),
    example(kr("New CRM live for all sales reps", kind="milestone"), "kr_output", under="Give sales one view"),
    example(
        kr("Security awareness training completed by all staff", kind="milestone"),
        "kr_output",
        under="Keep the fleet secure",
    ),
    example(
        kr("Deliver 12 webinars for OEM partners", start=0, target=12), "kr_output", under="Grow OEM partner skills"
    ),
    example(kr("Create a dashboard for sales KPIs", kind="milestone"), "kr_output", under="Give sales one view"),
    example(
        kr("Launch 3 features to increase activation", start=0, target=3), "kr_output", under="Win back lost trials"
    ),
    example(
        kr("Roll out firmware 4.2 to 500 devices", start=0, target=500), "kr_output", under="Keep the fleet secure"
    ),
    # Vague key results.
    example(kr("Improve customer satisfaction", kind="estimate"), "kr_vague", under="Delight fleet operators"),
    example(kr("Better onboarding experience for dealers", kind="estimate"), "kr_vague", under="Delight dealers"),
    example(kr("Optimize the checkout flow", kind="estimate"), "kr_vague", under="Win back lost trials"),
    example(kr("Increase sales", kind="estimate"), "kr_vague", under="Grow in Scandinavia"),
    example(kr("Customers are happier", kind="estimate"), "kr_vague", under="Delight fleet operators"),
    example(
        kr("Improve onboarding by introducing a buddy program", kind="milestone"),
        "kr_output",
        "kr_vague",
        under="Get new hires productive sooner",
    ),
    # Figures that do not add up.
    example(kr("Increase conversion rate", start=2, target=2), "kr_no_change", under="Win back lost trials"),
    example(kr("Reduce churn to 5 %", start=4, target=5), "kr_already_met", under="Keep our customers longer"),
    example(
        kr("Raise trial-to-paid conversion to 12 %", kind="estimate"),
        "kr_target_only_in_title",
        under="Win back lost trials",
    ),
    example(
        kr("Grow pipeline from €3M to €5M", kind="milestone"), "kr_target_only_in_title", under="Grow in Scandinavia"
    ),
    example(
        kr("Reduce scrap rate in device assembly to 1.5 %", start=3, target=2),
        "kr_target_only_in_title",
        under="Build devices right the first time",
    ),
    # Ownership, age and repetition.
    example(
        kr("Cut average repair turnaround from 10 to 6 days", start=10, target=6, has_owner=False),
        "kr_no_owner",
        under="Keep machines running",
    ),
    example(
        kr("Fleet managers say the new alerting saves them time", kind="estimate", created_on=LAST_YEAR),
        "estimate_overdue",
        under="Make alerts useful",
    ),
    example(
        kr("Fleet operators delighted with the new portal", kind="estimate"),
        "kr_repeats_objective",
        under="Delight fleet operators with the new portal",
    ),
    # Objectives.
    example(objective("Increase revenue by 20 %", *EN_GOOD_KRS[:3]), "objective_is_number"),
    example(objective("Win 3 new OEM customers in Scandinavia", *EN_GOOD_KRS[:3]), "objective_is_number"),
    example(
        objective("Win the North American OEM market", *EN_GOOD_KRS[:3], company_objectives_exist=True),
        "unaligned_group_objective",
    ),
    example(objective("Delight fleet operators", EN_GOOD_KRS[0], is_aligned=True), "too_few_krs"),
    example(objective("Keep machines running", *EN_GOOD_KRS, is_aligned=True), "too_many_krs"),
    example(objective("Make support effortless"), "no_krs"),
    example(objective("Make support effortless", check_key_result_count=False)),
    example(
        objective(
            "Make the fleet portal the daily tool of every fleet manager",
            *EN_GOOD_KRS[:3],
            is_aligned=True,
            company_objectives_exist=True,
        )
    ),
    example(
        objective("Become the most reliable telematics platform in off-highway", *EN_GOOD_KRS[2:5], level="company")
    ),
    example(
        objective("Achieve ISO 27001 readiness", *EN_GOOD_KRS[3:5], level="personal"),
    ),
    example(
        objective(
            "Grow our dealer network",
            EN_GOOD_KRS[0],
            kr("Hire two partner managers", kind="milestone"),
            is_aligned=True,
        ),
        "kr_output",
    ),
)

DE_CORPUS = (
    # Gute Key Results, einige davon knifflig.
    example(
        kr("Kundenzufriedenheit (NPS) von 32 auf 45 steigern", start=32, target=45),
        under="Kunden begeistern",
    ),
    example(kr("Churn-Rate von 8 % auf 5 % senken", start=8, target=5), under="Kunden langfristig halten"),
    example(
        kr("Erstreaktionszeit im Support von 9 auf 2 Stunden verkürzen", start=9, target=2),
        under="Support ohne Aufwand für Kunden",
    ),
    example(
        kr("Verfügbarkeit der Telematik-Cloud über 99,8 % halten", kind="threshold", target="99.8"),
        under="Die zuverlässigste Verbindung zu jeder Maschine sein",
    ),
    example(
        kr("Anteil der Geräte mit aktueller Firmware von 55 % auf 90 % erhöhen", start=55, target=90),
        under="Die Flotte sicher halten",
    ),
    example(
        kr("Umsatz mit OEM-Kunden von 1,2 Mio. € auf 2 Mio. € steigern", start=1200000, target=2000000),
        under="Unser OEM-Geschäft in Nordamerika ausbauen",
    ),
    example(
        kr("Time-to-Hire für Entwicklerstellen von 62 auf 40 Tage reduzieren", start=62, target=40),
        under="Schneller großartige Entwicklerinnen und Entwickler gewinnen",
    ),
    example(
        kr("ISO-27001-Zertifikat vom externen Auditor erteilt", kind="milestone"),
        under="Das Vertrauen von Großkunden gewinnen",
    ),
    example(
        kr("Fehlerquote in der Gerätemontage von 3 % auf 1,5 % senken", start=3, target="1.5"),
        under="Geräte beim ersten Mal richtig bauen",
    ),
    example(
        kr("Self-Service-Portal einführen, sodass Tickets von 400 auf 250 pro Monat sinken", start=400, target=250),
        under="Support ohne Aufwand für Kunden",
    ),
    example(
        kr("Cloud-Kosten pro vernetztem Gerät unter 0,40 € halten", kind="threshold", target="0.40"),
        under="Die Cloud profitabel skalieren",
    ),
    example(
        kr("Wöchentlich aktive Flottenmanager im Portal von 1.200 auf 2.000 erhöhen", start=1200, target=2000),
        under="Das Portal gehört zum Alltag jedes Flottenmanagers",
    ),
    example(
        kr("Flottenkunden nutzen die Wartungsprognose im Alltag", kind="estimate", created_on=RECENTLY),
        under="Stillstand beim Kunden vermeiden",
    ),
    example(kr("Ungewollte Fluktuation von 9 % auf 6 % senken", start=9, target=6), under="Ein Ort, an dem man bleibt"),
    example(
        kr("Build-Zeit der Firmware von 40 auf 15 Minuten senken", start=40, target=15),
        under="Mit Zuversicht ausliefern",
    ),
    example(kr("Rechnungsfehler unter 1 % halten", kind="threshold", target=1), under="Abrechnung fehlerfrei machen"),
    example(
        kr("Gesundheitsscore der Top-20-Kunden erreicht Grün", kind="milestone"),
        under="Unsere größten Kunden halten",
    ),
    example(
        kr("10 Referenzkunden gewinnen, die mit Interessenten sprechen", start=0, target=10),
        under="Den nordamerikanischen OEM-Markt erobern",
    ),
    example(
        kr("Erstlösungsquote im Außendienst bei mindestens 85 %", kind="threshold", target=85),
        under="Maschinen am Laufen halten",
    ),
    example(
        kr("500 vernetzte Maschinen bei neuen OEM-Kunden erreichen", start=120, target=500),
        under="Unser OEM-Geschäft in Nordamerika ausbauen",
    ),
    example(
        kr("Vertrieb nutzt die neue Prognose jede Woche", kind="estimate", created_on=RECENTLY),
        under="Vertrieb plant mit Fakten",
    ),
    example(
        kr("Neue Preisseite veröffentlichen", kind="milestone"),
        "kr_output",
        under="Verlorene Testkunden zurückgewinnen",
    ),
    example(
        kr("Neuen Onboarding-Ablauf gestalten", kind="milestone"),
        "kr_output",
        under="Verlorene Testkunden zurückgewinnen",
    ),
    example(kr("30 Kundeninterviews führen", start=0, target=30), "kr_output", under="Unsere OEM-Kunden verstehen"),
    example(
        kr("Anzahl der Eskalationen reduzieren", kind="estimate"), "kr_vague", under="Support ohne Aufwand für Kunden"
    ),
    example(kr("Mitarbeiterzufriedenheit", kind="estimate"), "kr_vague", under="Ein Ort, an dem man bleibt"),
    example(
        kr("Garantiefälle pro 1.000 Geräte von 14 auf 8 senken", start=14, target=8),
        under="Geräte beim ersten Mal richtig bauen",
    ),
    example(
        kr("Die Hälfte aller Supporttickets wird im Portal ohne Agent gelöst", kind="estimate", created_on=RECENTLY),
        under="Support ohne Aufwand für Kunden",
    ),
    example(
        kr("Ausschussquote von 3 % auf 1,5 % senken, ohne die Ausbringung zu verringern", start=3, target="1.5"),
        under="Geräte beim ersten Mal richtig bauen",
    ),
    example(kr("Monatsabschluss automatisieren", kind="milestone"), "kr_output", under="Schneller abschließen"),
    example(kr("Alten MQTT-Broker ablösen", kind="milestone"), "kr_output", under="Die zuverlässigste Verbindung sein"),
    example(kr("Arbeitgebermarke stärken", kind="estimate"), "kr_vague", under="Schneller Talente gewinnen"),
    example(
        kr("Onboarding-Zeit für neue Händler auf 5 Tage senken", kind="milestone"),
        "kr_target_only_in_title",
        under="Händler begeistern",
    ),
    example(
        kr("Jede Entwicklerin verbringt pro Quartal einen Tag im Support", kind="milestone"),
        "kr_output",
        under="Die Entwicklung versteht unsere Kunden",
    ),
    example(objective("ARR auf 10 Mio. € steigern", *DE_GOOD_KRS[:3], level="company"), "objective_is_number"),
    # Ergebnisse der Arbeit statt Wirkung.
    example(
        kr("Neues CRM einführen", kind="milestone"), "kr_output", under="Vertrieb hat einen Blick auf jeden Kunden"
    ),
    example(
        kr("Workshop mit allen Teamleitungen durchgeführt", kind="milestone"),
        "kr_output",
        under="Alle kennen unsere Strategie",
    ),
    example(kr("Einführung von Salesforce CPQ", kind="milestone"), "kr_output", under="Angebote schneller abschließen"),
    example(kr("Umsetzung der neuen Preisliste", kind="milestone"), "kr_output", under="Profitabler wachsen"),
    example(kr("4 Kundenworkshops veranstalten", start=0, target=4), "kr_output", under="Unsere OEM-Kunden verstehen"),
    example(
        kr("Onboarding-Handbuch für neue Mitarbeitende erstellen", kind="milestone"),
        "kr_output",
        under="Neue Kolleginnen und Kollegen schneller produktiv",
    ),
    example(kr("Abrechnung auf Stripe migrieren", kind="milestone"), "kr_output", under="Abrechnung fehlerfrei machen"),
    example(
        kr("Wir führen das neue Ticketsystem ein", kind="milestone"),
        "kr_output",
        under="Support ohne Aufwand für Kunden",
    ),
    example(
        kr("3 neue Features ausliefern", start=0, target=3), "kr_output", under="Verlorene Testkunden zurückgewinnen"
    ),
    example(
        kr("Neue Händler-App in allen Regionen ausrollen", kind="milestone"), "kr_output", under="Händler begeistern"
    ),
    example(kr("5 Partnerintegrationen aufbauen", start=0, target=5), "kr_output", under="Offen für jedes Ökosystem"),
    example(
        kr("Kick-off-Veranstaltung organisieren", kind="milestone"), "kr_output", under="Alle kennen unsere Strategie"
    ),
    example(
        kr("Neues CRM für alle Vertriebsmitarbeitenden live", kind="milestone"),
        "kr_output",
        under="Vertrieb hat einen Blick auf jeden Kunden",
    ),
    example(
        kr("Security-Awareness-Schulung von allen Mitarbeitenden abgeschlossen", kind="milestone"),
        "kr_output",
        under="Die Flotte sicher halten",
    ),
    example(kr("12 Webinare für OEM-Partner halten", start=0, target=12), "kr_output", under="OEM-Partner befähigen"),
    example(
        kr("Dashboard für Vertriebs-KPIs erstellt", kind="milestone"), "kr_output", under="Vertrieb steuert mit Zahlen"
    ),
    example(
        kr("Firmware 4.2 auf 500 Geräte ausrollen", start=0, target=500), "kr_output", under="Die Flotte sicher halten"
    ),
    # Vage Key Results.
    example(kr("Kundenzufriedenheit verbessern", kind="estimate"), "kr_vague", under="Kunden begeistern"),
    example(
        kr("Bessere Zusammenarbeit zwischen Vertrieb und Entwicklung", kind="estimate"),
        "kr_vague",
        under="Silos zwischen den Teams abbauen",
    ),
    example(kr("Prozesse im Lager optimieren", kind="estimate"), "kr_vague", under="Schneller liefern"),
    example(kr("Umsatz steigern", kind="estimate"), "kr_vague", under="In Skandinavien wachsen"),
    example(kr("Kunden sind zufriedener", kind="estimate"), "kr_vague", under="Kunden begeistern"),
    example(
        kr("Onboarding durch Einführung eines Patenprogramms verbessern", kind="milestone"),
        "kr_output",
        "kr_vague",
        under="Neue Kolleginnen und Kollegen schneller produktiv",
    ),
    # Zahlen, die nicht zusammenpassen.
    example(
        kr("Conversion-Rate steigern", start=2, target=2), "kr_no_change", under="Verlorene Testkunden zurückgewinnen"
    ),
    example(kr("Churn auf 5 % senken", start=4, target=5), "kr_already_met", under="Kunden langfristig halten"),
    example(
        kr("Testkonversion auf 12 % erhöhen", kind="estimate"),
        "kr_target_only_in_title",
        under="Verlorene Testkunden zurückgewinnen",
    ),
    example(
        kr("Pipeline von 3 auf 5 Mio. € vergrößern", kind="milestone"),
        "kr_target_only_in_title",
        under="In Skandinavien wachsen",
    ),
    example(
        kr("Ausschussquote in der Montage auf 1,5 % senken", start=3, target=2),
        "kr_target_only_in_title",
        under="Geräte beim ersten Mal richtig bauen",
    ),
    # Verantwortung, Alter und Wiederholung.
    example(
        kr("Reparaturdurchlaufzeit von 10 auf 6 Tage senken", start=10, target=6, has_owner=False),
        "kr_no_owner",
        under="Maschinen am Laufen halten",
    ),
    example(
        kr("Flottenmanager sparen durch die neuen Alarme Zeit", kind="estimate", created_on=LAST_YEAR),
        "estimate_overdue",
        under="Alarme nützlich machen",
    ),
    example(
        kr("Flottenbetreiber sind vom neuen Portal begeistert", kind="estimate"),
        "kr_repeats_objective",
        under="Flottenbetreiber mit dem neuen Portal begeistern",
    ),
    # Objectives.
    example(objective("Umsatz um 20 % steigern", *DE_GOOD_KRS[:3]), "objective_is_number"),
    example(objective("Drei neue OEM-Kunden in Skandinavien gewinnen", *DE_GOOD_KRS[:3]), "objective_is_number"),
    example(
        objective("Den nordamerikanischen OEM-Markt erobern", *DE_GOOD_KRS[:3], company_objectives_exist=True),
        "unaligned_group_objective",
    ),
    example(objective("Flottenbetreiber begeistern", DE_GOOD_KRS[0], is_aligned=True), "too_few_krs"),
    example(objective("Maschinen am Laufen halten", *DE_GOOD_KRS, is_aligned=True), "too_many_krs"),
    example(objective("Support ohne Aufwand für Kunden"), "no_krs"),
    example(objective("Support ohne Aufwand für Kunden", check_key_result_count=False)),
    example(
        objective(
            "Das Flottenportal wird das tägliche Werkzeug jedes Flottenmanagers",
            *DE_GOOD_KRS[:3],
            is_aligned=True,
            company_objectives_exist=True,
        )
    ),
    example(
        objective(
            "Die zuverlässigste Telematik-Plattform im Off-Highway-Bereich werden", *DE_GOOD_KRS[2:5], level="company"
        )
    ),
    example(objective("Bereit für Industrie 4.0 beim Kunden", *DE_GOOD_KRS[3:5], level="personal")),
    example(
        objective(
            "Unser Händlernetz ausbauen",
            DE_GOOD_KRS[0],
            kr("Zwei Partnermanager einstellen", kind="milestone"),
            is_aligned=True,
        ),
        "kr_output",
    ),
)


def findings_for(item: Example, language: str) -> list:
    if isinstance(item.draft, ObjectiveDraft):
        return review_objective(item.draft, language=language, today=TODAY)
    return review_key_result(item.draft, objective_title=item.objective_title, language=language, today=TODAY)


def precision_and_recall(corpus, language: str) -> tuple[float, float, list]:
    true_positives = false_positives = false_negatives = 0
    mistakes = []
    for item in corpus:
        found = {finding.rule for finding in findings_for(item, language)}
        true_positives += len(found & item.expected)
        false_positives += len(found - item.expected)
        false_negatives += len(item.expected - found)
        if found != item.expected:
            mistakes.append((item.draft.title, sorted(item.expected), sorted(found)))
    precision = true_positives / (true_positives + false_positives) if true_positives + false_positives else 1.0
    recall = true_positives / (true_positives + false_negatives) if true_positives + false_negatives else 1.0
    return precision, recall, mistakes


@pytest.mark.parametrize(("language", "corpus"), [("en", EN_CORPUS), ("de", DE_CORPUS)])
def test_the_coach_agrees_with_the_labelled_corpus(language, corpus):
    precision, recall, mistakes = precision_and_recall(corpus, language)
    print(f"\ncoach corpus {language}: precision {precision:.2f} recall {recall:.2f} (n={len(corpus)})")
    for title, expected, found in mistakes:
        print(f"  {title!r}: expected {expected}, found {found}")
    assert precision >= 0.9
    assert recall >= 0.9


@pytest.mark.parametrize("corpus", [EN_CORPUS, DE_CORPUS])
def test_the_corpus_is_large_and_at_least_a_third_good(corpus):
    assert len(corpus) >= 45
    assert sum(not item.expected for item in corpus) >= len(corpus) / 3


def test_the_same_draft_gets_the_same_findings():
    draft = objective("Increase revenue by 20 %", kr("Launch the new portal", kind="milestone", has_owner=False))
    assert review_objective(draft, today=TODAY) == review_objective(draft, today=TODAY)


def test_key_result_findings_point_at_their_key_result():
    draft = objective("Delight dealers", EN_GOOD_KRS[0], kr("Launch the dealer app", kind="milestone"))
    findings = review_objective(draft)
    assert [(f.rule, f.key_result) for f in findings] == [("kr_output", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "Reduce churn from 8 % to 5 % for all fleet customers",
        "We want every dealer to recommend our portal",
        "Make the onboarding of new hires faster and more reliable",
    ],
)
def test_clear_english_is_english_even_in_a_german_organization(text):
    assert detect_language(text, "de") == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Kundenzufriedenheit (NPS) von 32 auf 45 steigern",
        "Wir führen das neue Ticketsystem für alle Teams ein",
        "Neues CRM einführen",
    ],
)
def test_clear_german_is_german_even_in_an_english_organization(text):
    assert detect_language(text, "en") == "de"


@pytest.mark.parametrize("text", ["", "CRM", "NPS 45", "Portal live", "OKR Workshop", "Dashboard Sales KPIs"])
@pytest.mark.parametrize("default", ["en", "de"])
def test_short_or_ambiguous_text_keeps_the_default_language(text, default):
    assert detect_language(text, default) == default


def test_messages_are_the_english_msgids_in_english():
    [finding] = review_key_result(kr("Raise NPS from 30 to 45", start=30, target=45, has_owner=False))
    assert finding.message == "This key result has no owner."
    assert finding.explanation
    assert finding.rewrite


def test_the_rewrite_quotes_the_output_key_result():
    [finding] = review_key_result(kr("Launch the new portal", kind="milestone"))
    assert finding.rewrite.startswith('Instead of "Launch the new portal", write what it should change')


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_text_is_translated_in_the_requested_language(monkeypatch, language):
    monkeypatch.setattr(coach, "_", lambda text: f"[{translation.get_language()}] {text}")
    draft = objective("Umsatz um 20 % steigern", kr("Neues CRM einführen", kind="milestone", has_owner=False))
    findings = review_objective(draft, language=language)
    findings += review_portfolio(active_objectives_per_holder={"Sales": 6}, company_objectives=6, language=language)
    assert {f.rule for f in findings} >= {"objective_is_number", "too_few_krs", "kr_output", "too_many_objectives"}
    for finding in findings:
        for text in (finding.message, finding.explanation, finding.rewrite):
            assert text.startswith(f"[{language}] ") and len(text) > len(f"[{language}] ")


def test_portfolio_allows_five_objectives_and_flags_six():
    assert review_portfolio(active_objectives_per_holder={"Sales": 5, "Ada": 5}, company_objectives=5) == []
    findings = review_portfolio(active_objectives_per_holder={"Sales": 6, "Ada": 5}, company_objectives=6)
    assert [f.rule for f in findings] == ["too_many_objectives", "too_many_company_objectives"]
    assert "Sales" in findings[0].message
    assert "6" in findings[0].message


@pytest.mark.parametrize(("count", "expected"), [(1, ["too_few_krs"]), (2, []), (5, []), (6, ["too_many_krs"])])
def test_an_objective_needs_two_to_five_key_results(count, expected):
    key_results = tuple(kr(f"Raise active dealers from {n} to {n + 10}", start=n, target=n + 10) for n in range(count))
    draft = objective("Delight dealers", *key_results, is_aligned=True)
    assert [f.rule for f in review_objective(draft)] == expected


def test_no_key_results_is_flagged_only_when_counting():
    assert [f.rule for f in review_objective(objective("Delight dealers"))] == ["no_krs"]
    assert review_objective(objective("Delight dealers", check_key_result_count=False)) == []


@pytest.mark.parametrize(("age", "overdue"), [(90, False), (91, False), (92, True)])
def test_an_estimate_is_overdue_after_one_cycle(age, overdue):
    estimate = kr("Dealers trust our delivery dates", kind="estimate", created_on=TODAY - datetime.timedelta(days=age))
    findings = review_key_result(estimate, today=TODAY, cycle_days=91)
    assert [f.rule for f in findings] == (["estimate_overdue"] if overdue else [])


def test_without_today_the_age_of_an_estimate_is_not_judged():
    estimate = kr("Dealers trust our delivery dates", kind="estimate", created_on=datetime.date(2000, 1, 1))
    assert review_key_result(estimate) == []


def test_a_target_in_the_title_that_matches_the_target_value_is_fine():
    assert review_key_result(kr("Raise NPS to 45", start=30, target=45)) == []
    assert [f.rule for f in review_key_result(kr("Raise NPS to 45", start=30, target=50))] == [
        "kr_target_only_in_title"
    ]


decimals = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=2))
key_result_drafts = st.builds(
    KeyResultDraft,
    title=st.text(max_size=120),
    kind=st.sampled_from(["metric", "threshold", "milestone", "estimate"]),
    start_value=decimals,
    target_value=decimals,
    has_owner=st.booleans(),
    created_on=st.one_of(st.none(), st.dates()),
)
objective_drafts = st.builds(
    ObjectiveDraft,
    title=st.text(max_size=120),
    description=st.text(max_size=60),
    level=st.sampled_from(["company", "group", "personal"]),
    key_results=st.lists(key_result_drafts, max_size=8).map(tuple),
    is_aligned=st.booleans(),
    company_objectives_exist=st.booleans(),
    check_key_result_count=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(draft=objective_drafts, today=st.one_of(st.none(), st.dates()), language=st.sampled_from(["en", "de"]))
def test_any_objective_is_reviewed_without_error(draft, today, language):
    findings = review_objective(draft, language=language, today=today)
    for finding in findings:
        assert finding.key_result is None or 0 <= finding.key_result < len(draft.key_results)
        assert finding.message and finding.explanation and finding.rewrite
        assert finding.rule in coach.RULE_TEXTS
