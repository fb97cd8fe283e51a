"""Plausible synthetic answers to catalogues v1 and v2, for the demo data and the tests.

A cluster's answers hang together: a latent "maturity" between 0 and 1 drives size,
staff, budget and services, counts add up to their totals, shares add up to 100, and
public funds are about half of the budget (domain.md, "Volumes").
"""

import datetime
import random
from decimal import Decimal

from benchmarking.kinds import kind_of
from benchmarking.models import Answer, Indicator


def _split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """`total` split into integer parts roughly in proportion to `weights`, summing exactly."""
    noisy = [w * rng.uniform(0.6, 1.4) for w in weights]
    scale = total / sum(noisy)
    parts = [int(w * scale) for w in noisy]
    parts[0] += total - sum(parts)
    return parts


def _shares(rng: random.Random, weights: list[float]) -> list[int]:
    return _split(rng, 100, weights)


def _subset(rng: random.Random, options: list[str], maturity: float) -> list[str]:
    share = 0.3 + 0.6 * maturity
    chosen = [o for o in options if rng.random() < share]
    return chosen or [options[0]]


def _ordered_choice(rng: random.Random, options: list[str], maturity: float) -> str:
    """For ordered scales (worst first): mature clusters tend to the better end."""
    index = round(maturity * (len(options) - 1) + rng.uniform(-1, 1))
    return options[max(0, min(len(options) - 1, index))]


def plausible_values(rng: random.Random, *, interview_date: datetime.date, maturity: float) -> dict:
    """Values for the 36 indicators of catalogue v1 and the 12 that v2 adds, keyed by indicator code."""
    m = maturity
    participants = int(15 + (m**1.5) * rng.uniform(40, 400))
    headcount = max(1, int(1 + m * rng.uniform(2, 14)))
    fte = Decimal(max(0.5, round(headcount * rng.uniform(0.55, 1.0) * 2) / 2)).quantize(Decimal("0.1"))
    events = int(3 + m * rng.uniform(5, 50))
    public = rng.uniform(35, 65)
    c2 = _shares(rng, [public * 0.45, public * 0.3, public * 0.25, 25, 15, 100 - public - 40 if public < 60 else 2])
    return {
        "A1": interview_date.year - rng.randint(2, 25),
        "A2": rng.choice(["association"] * 5 + ["limited company", "foundation", "public agency", "other"]),
        "A3": _subset(rng, ["industry", "research and education", "regional government", "national government"], m),
        "A4": participants,
        "A5": dict(
            zip(
                ["SMEs", "large companies", "universities", "research institutes", "public bodies", "other"],
                _split(rng, participants, [62, 12, 6, 6, 5, 9]),
                strict=True,
            )
        ),
        "A6": dict(
            zip(["in the region", "elsewhere in the country", "abroad"], _shares(rng, [70, 22, 8]), strict=True)
        ),
        "A7": {"joined": int(participants * rng.uniform(0.02, 0.15)), "left": int(participants * rng.uniform(0, 0.06))},
        "A8": rng.choice(["paid membership"] * 4 + ["written agreement without fee", "informal"]),
        "B1": _subset(rng, ["board or steering committee", "general assembly", "advisory board", "working groups"], m),
        "B2": _ordered_choice(rng, ["not involved", "informed", "consulted", "decide jointly"], m),
        "B3": headcount,
        "B4": fte,
        "B5": rng.randint(50, 100),
        "B6": Decimal(rng.randint(30, 220)) / 10,
        "B7": rng.choice([0, 0, 0, 1, 1, 2, 3]),
        "B8": rng.random() < 0.5 + 0.45 * m,
        "B9": _ordered_choice(
            rng,
            [
                "no action plan",
                "action plan without indicators",
                "action plan with indicators monitored at least yearly",
            ],
            m,
        ),
        "B10": _ordered_choice(rng, ["not linked", "aligned", "formally part of it"], m),
        "C1": Decimal(int(float(fte) * rng.uniform(60_000, 110_000) / 100) * 100),
        "C2": dict(
            zip(
                [
                    "regional public funds",
                    "national public funds",
                    "EU funds",
                    "membership fees",
                    "revenue from services",
                    "other private funds",
                ],
                c2,
                strict=True,
            )
        ),
        "C3": Decimal(rng.randint(5, 50)) / 10,
        "C4": rng.choice(["no fees", "flat fee", "graded by size of participant", "graded by size of participant"]),
        "C5": rng.randint(45, 90),
        "D1": _subset(
            rng,
            [
                "information and communication",
                "matchmaking and networking",
                "collaborative R&D projects",
                "training and qualification",
                "internationalisation",
                "marketing and PR",
                "access to finance",
                "start-up support",
            ],
            m,
        ),
        "D2": events,
        "D3": int(events * rng.uniform(20, 80)),
        "D4": int(m * rng.uniform(1, 30)),
        "D5": int(m * rng.uniform(1, 15)),
        "D6": int(m * rng.uniform(0, 20)),
        "D7": rng.randint(int(30 + 40 * m), 100),
        "E1": rng.randint(int(40 + 40 * m), 100),
        "E2": rng.randint(15, int(40 + 50 * m)),
        "E3": ["website"] + _subset(rng, ["newsletter", "social media", "member intranet or CRM", "press releases"], m),
        "F1": int(m * rng.uniform(2, 80)),
        "F2": int(m * rng.uniform(0, 15)),
        "F3": None if rng.random() < 0.15 else rng.randint(60, 100),
        **_transition_values(rng, m, participants=participants, fte=fte, events=events),
    }


STRATEGY_SCALE = ["not addressed", "mentioned without actions", "objectives and actions",
                  "objectives and actions monitored with indicators"]  # fmt: skip


def _transition_values(rng: random.Random, m: float, *, participants: int, fte: Decimal, events: int) -> dict:
    """The 2019 questionnaire's digital, green and social-economy indicators (catalogue v2)."""
    digital = ["digital maturity assessments", "awareness events on digital technologies",
               "matchmaking with technology providers", "access to European Digital Innovation Hubs",
               "training in digital skills", "cybersecurity support"]  # fmt: skip
    green = ["energy or resource-efficiency audits", "circular economy projects",
             "support with environmental reporting and certification", "matchmaking for green technologies",
             "access to green finance", "training in green skills"]  # fmt: skip
    return {
        "A9": int(participants * rng.uniform(0, 0.08)),
        "B11": _ordered_choice(rng, STRATEGY_SCALE, m),
        "B12": _ordered_choice(rng, STRATEGY_SCALE, m * 0.9),
        "B13": (fte * Decimal(rng.uniform(0.1, 0.5))).quantize(Decimal("0.1")),
        "C6": rng.randint(5, int(10 + 30 * m)),
        "D8": _subset(rng, digital, m),
        "D9": _subset(rng, green, m * 0.9),
        "D10": int(participants * rng.uniform(0.05, 0.2 + 0.4 * m)),
        "D11": int(m * rng.uniform(0, 8)),
        "E4": rng.randint(10, 60) if events else 0,
        "F4": rng.random() < 0.2 + 0.5 * m,
        "F5": int(m * rng.uniform(0, 6)),
    }


# Why a value is missing, where it is not "unknown": a cluster without a satisfaction survey.
MISSING_REASONS = {"F3": Answer.MissingReason.NOT_APPLICABLE}


def answer_fields(indicator: Indicator, value) -> dict:
    """The Answer columns that hold `value` for the indicator's kind; None means "unknown"
    (or the reason in MISSING_REASONS)."""
    if value is None:
        return {"missing_reason": MISSING_REASONS.get(indicator.code, Answer.MissingReason.UNKNOWN)}
    return kind_of(indicator).answer_fields(value)


def answer_rows(interview_id: int, indicators, values: dict) -> list[dict]:
    """The Answer rows of an interview, one per indicator, from `values` by code: only the columns
    that differ between answers (ecei_site.bulk.insert_rows), the others left at their default."""
    return [
        {"interview_id": interview_id, "indicator_id": indicator.pk, **answer_fields(indicator, values[indicator.code])}
        for indicator in indicators
    ]


def build_answers(interview, indicators, values: dict) -> list[Answer]:
    """Unsaved Answer objects for `interview`, one per indicator, from `values` by code."""
    return [Answer(**row) for row in answer_rows(interview.pk, indicators, values)]
