"""The demo company's story: a German telematics maker of about 150 people rolling out OKRs.

Plain data only; builder.py turns it into rows.
"""

ORGANIZATION = {"name": "Vektor Telematics GmbH", "slug": "vektor", "time_zone": "Europe/Berlin", "language": "en"}
EMAIL_DOMAIN = "vektor.example"
DEMO_PASSWORD = "lodestar-demo"
DEMO_LOGIN = f"katrin.hafner@{EMAIL_DOMAIN}"  # the OKR ambassador (KEY_PEOPLE) signs in

VISION = "Every off-highway machine connected, understood and running when it matters."
MISSION = (
    "We build the devices and the cloud that read a vehicle's CAN bus, bring its data home "
    "and turn it into services OEMs and their customers rely on."
)
PILLARS = [
    ("Reliability customers can bet on", "Devices and platform that simply work in the field."),
    ("Data services that pay", "From raw machine data to services OEMs buy."),
    ("One team from device to cloud", "Hardware, software, production and cloud pulling in one direction."),
]

FIRST_NAMES = [
    "Anna",
    "Lukas",
    "Mia",
    "Jonas",
    "Lea",
    "Felix",
    "Sophie",
    "Paul",
    "Marie",
    "Leon",
    "Emma",
    "Maximilian",
    "Hannah",
    "Elias",
    "Laura",
    "Noah",
    "Julia",
    "Tim",
    "Lena",
    "David",
    "Sarah",
    "Jan",
    "Lisa",
    "Niklas",
    "Clara",
    "Moritz",
    "Katharina",
    "Florian",
    "Johanna",
    "Tobias",
    "Nina",
    "Sebastian",
    "Alina",
    "Philipp",
    "Amelie",
    "Fabian",
    "Ayşe",
    "Mehmet",
    "Olga",
    "Piotr",
    "Sofia",
    "Matteo",
    "Fatima",
    "Ravi",
    "Chen",
    "Ines",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Köhler",
    "Maier",
    "Kaya",
    "Nowak",
    "Rossi",
    "Yilmaz",
    "Kowalski",
    "Popescu",
    "Sommer",
    "Vogel",
    "Jung",
    "Keller",
    "Frank",
    "Berger",
    "Roth",
]

# Named people: (key, full name, job title, role, group key, leads group)
KEY_PEOPLE = [
    ("ceo", "Martin Brandt", "Chief Executive Officer", "owner", "leadership", True),
    ("coo", "Robert Engel", "Chief Operating Officer", "admin", "leadership", False),
    ("cto", "Sabine Krämer", "Chief Technology Officer", "admin", "leadership", False),
    ("cfo", "Thomas Albrecht", "Chief Financial Officer", "admin", "leadership", False),
    ("ambassador", "Katrin Hafner", "Operations Manager & OKR Ambassador", "admin", "operations", False),
    ("hr_head", "Christine Lorenz", "Head of HR", "admin", "hr", True),
]

# Groups: key, name, parent key, size (people besides named ones)
GROUPS = [
    ("leadership", "Leadership", None, 0),
    ("software", "Software", None, 3),
    ("firmware", "Embedded Firmware", "software", 12),
    ("apps", "Mobile Apps", "software", 9),
    ("hardware", "Hardware", None, 3),
    ("electronics", "Electronics", "hardware", 11),
    ("mechanics", "Mechanical Design", "hardware", 7),
    ("production", "Production", None, 3),
    ("assembly", "Assembly", "production", 15),
    ("quality", "Quality Assurance", "production", 8),
    ("cloud", "Cloud Solutions", None, 3),
    ("platform", "Data Platform", "cloud", 11),
    ("backend", "Cloud Backend", "cloud", 10),
    ("portal", "Customer Portal", "cloud", 8),
    ("sales", "Sales & Customer Success", None, 3),
    ("sales_dach", "Sales DACH", "sales", 9),
    ("success", "Customer Success", "sales", 8),
    ("operations", "Operations", None, 5),
    ("hr", "People & HR", "operations", 5),
    ("finance", "Finance", "operations", 6),
    ("it", "IT", "operations", 5),
]

# Key result shorthands used below:
#   ("metric", title, start, target, unit)        ("threshold", title, value, "above"|"below", unit)
#   ("milestone", title)                            ("estimate", title)
# Owners: a group key (its lead or a member is picked deterministically) or a named person key.

YEAR_OBJECTIVES = [
    ("reliability", "Be the most reliable telematics partner for off-highway OEMs", 0),
    ("data", "Turn machine data into services customers pay for", 1),
    ("oneteam", "Work as one team from device to cloud", 2),
]

# Company objectives of the current quarter: key, title, year parent, pillar index, lead, key results
COMPANY_OBJECTIVES = [
    (
        "c_reliable",
        "Our devices and platform just work in the field",
        "reliability",
        0,
        "cto",
        [
            ("metric", "Reduce the device return rate", 2.4, 1.2, "%", "quality"),
            ("threshold", "Keep platform uptime", 99.9, "above", "%", "platform"),
            ("metric", "Cut mean time to resolve customer incidents", 36, 12, "h", "success"),
        ],
    ),
    (
        "c_data",
        "OEMs buy our data services, not just our devices",
        "data",
        1,
        "ceo",
        [
            ("metric", "Grow recurring revenue from data services", 410, 520, "k€ MRR", "sales_dach"),
            ("metric", "Sign OEM pilot customers for predictive maintenance", 0, 3, "OEMs", "sales"),
            ("estimate", "Customers say the fleet dashboard saves them time", "portal"),
        ],
    ),
    (
        "c_oneteam",
        "Everyone knows where we are heading and how their team helps",
        "oneteam",
        2,
        "coo",
        [
            ("metric", "People with at least one objective or key result", 35, 100, "%", "ambassador"),
            ("metric", "Team objectives aligned to a company objective", 20, 90, "%", "ambassador"),
            ("milestone", "Company kick-off walks through all company OKRs", "hr_head"),
        ],
    ),
]

# Group objectives: key, title, owning groups, parent key, lead (group key = its lead), key results, state
GROUP_OBJECTIVES = [
    (
        "g_firmware",
        "Firmware updates never brick a device",
        ["firmware"],
        "c_reliable",
        "firmware",
        [
            ("metric", "Devices updated over the air without a field visit", 62, 95, "%", "firmware"),
            ("metric", "Failed update rollbacks per 10,000 updates", 18, 3, "", "firmware"),
            ("milestone", "Dual-bank bootloader released to all device families", "firmware"),
        ],
        "active",
    ),
    (
        "g_apps",
        "Service technicians solve problems from the app",
        ["apps"],
        "c_data",
        "apps",
        [
            ("metric", "Weekly active technicians in the service app", 240, 600, "people", "apps"),
            ("estimate", "Technicians rate the fault-code explanations as helpful", "apps"),
        ],
        "active",
    ),
    (
        "g_electronics",
        "The next logger generation is ready for series production",
        ["electronics"],
        "c_reliable",
        "electronics",
        [
            ("milestone", "EMC certification passed for the CL-5 logger", "electronics"),
            ("metric", "Bill of materials cost per unit", 148, 125, "€", "electronics"),
            ("threshold", "Prototype power draw in sleep mode", 2.5, "below", "mA", "electronics"),
        ],
        "active",
    ),
    (
        "g_mechanics",
        "Housings survive the harshest machines",
        ["mechanics"],
        "c_reliable",
        "mechanics",
        [
            ("metric", "Housing failures in vibration tests", 7, 0, "", "mechanics"),
            ("milestone", "IP69K rating confirmed by external lab", "mechanics"),
        ],
        "active",
    ),
    (
        "g_assembly",
        "We ship every order on time without overtime",
        ["assembly"],
        "c_reliable",
        "assembly",
        [
            ("metric", "Orders shipped on the promised date", 81, 97, "%", "assembly"),
            ("metric", "First-pass yield at final test", 93, 98.5, "%", "assembly"),
            ("metric", "Overtime hours per month", 420, 150, "h", "assembly"),
        ],
        "active",
    ),
    (
        "g_quality",
        "Field failures are understood within a week",
        ["quality"],
        "c_reliable",
        "quality",
        [
            ("metric", "Returned devices analysed within 5 working days", 40, 90, "%", "quality"),
            ("estimate", "Root causes fed back to design teams", "quality"),
        ],
        "active",
    ),
    (
        "g_platform",
        "Data arrives complete, fast and trustworthy",
        ["platform"],
        "c_data",
        "platform",
        [
            ("metric", "Messages processed within 60 s of upload", 88, 99, "%", "platform"),
            ("threshold", "Data completeness per vehicle and day", 99.5, "above", "%", "platform"),
            ("metric", "Cloud cost per connected device", 0.62, 0.45, "€/month", "platform"),
        ],
        "active",
    ),
    (
        "g_backend",
        "Partners integrate through our API in days, not months",
        ["backend"],
        "c_data",
        "backend",
        [
            ("metric", "Days from API key to first partner call in production", 45, 10, "days", "backend"),
            ("milestone", "Public API v3 documentation published", "backend"),
        ],
        "active",
    ),
    (
        "g_portal",
        "Fleet managers find what needs attention at a glance",
        ["portal"],
        "c_data",
        "portal",
        [
            ("metric", "Fleet managers using the alerts view weekly", 120, 400, "people", "portal"),
            ("metric", "Support tickets about the portal per month", 85, 40, "", "portal"),
        ],
        "active",
    ),
    (
        "g_sales",
        "Data services become part of every OEM conversation",
        ["sales_dach"],
        "c_data",
        "sales_dach",
        [
            ("metric", "OEM proposals that include data services", 30, 80, "%", "sales_dach"),
            ("metric", "Qualified pipeline for data services", 0.8, 2.5, "M€", "sales_dach"),
        ],
        "active",
    ),
    (
        "g_success",
        "Customers renew because they see the value",
        ["success"],
        "c_reliable",
        "success",
        [
            ("metric", "Net revenue retention", 97, 108, "%", "success"),
            ("metric", "Customers with a quarterly value review", 20, 75, "%", "success"),
            ("estimate", "Customer health scores are trusted by sales", "success"),
        ],
        "active",
    ),
    (
        "g_hr",
        "New colleagues are productive in their first month",
        ["hr"],
        "c_oneteam",
        "hr_head",
        [
            ("metric", "New hires who rate onboarding 4 or 5 out of 5", 55, 85, "%", "hr"),
            ("milestone", "Onboarding journey covers OKRs and our strategy", "hr"),
        ],
        "active",
    ),
    (
        "g_finance",
        "Teams see their numbers without asking Finance",
        ["finance"],
        "c_oneteam",
        "finance",
        [
            ("metric", "Monthly close finished within working days", 9, 5, "days", "finance"),
            ("milestone", "Cost-centre dashboards live for every department", "finance"),
        ],
        "active",
    ),
    (
        "g_it",
        "Nobody waits for IT to start working",
        ["it"],
        "c_oneteam",
        "it",
        [
            ("metric", "Laptops ready on a new hire's first day", 70, 100, "%", "it"),
            ("threshold", "Median ticket resolution time", 8, "below", "h", "it"),
        ],
        "active",
    ),
    (
        "g_rollout",
        "OKRs become how we plan, not extra paperwork",
        ["operations", "hr"],
        "c_oneteam",
        "ambassador",
        [
            ("metric", "Teams checking in every week", 30, 90, "%", "ambassador"),
            ("metric", "Team leads trained in writing outcome key results", 6, 30, "people", "hr_head"),
            ("estimate", "Teams say OKRs help them say no to low-value work", "ambassador"),
        ],
        "active",
    ),
]

# One shared, cross-team objective whose key results are owned by people of different groups.
SHARED_OBJECTIVE = (
    "g_ota",
    "Over-the-air updates work end to end, from device to portal",
    ["firmware", "backend", "portal", "electronics"],
    "c_reliable",
    "cto",
    [
        ("metric", "Update campaigns started from the portal by customers", 0, 50, "campaigns", "portal"),
        ("metric", "Update success rate across all device families", 91, 99.5, "%", "firmware"),
        ("milestone", "Update service handles 10,000 devices per hour in load test", "backend"),
        ("milestone", "Signed firmware images verified in hardware", "electronics"),
    ],
)

# Drafts: open for feedback, not counted.
DRAFT_OBJECTIVES = [
    (
        "d_northamerica",
        "Win our first two OEMs in North America",
        ["sales"],
        "c_data",
        "sales",
        [
            ("metric", "Signed North American OEM contracts", 0, 2, "", "sales"),
            ("estimate", "Local partner network for installation and service", "sales"),
        ],
    ),
    (
        "d_sustainability",
        "Our devices help customers burn less fuel",
        ["cloud"],
        "c_data",
        "cloud",
        [
            ("milestone", "Fuel-efficiency report available for all connected fleets", "platform"),
        ],
    ),
    (
        "d_production_quality",
        "Improve production quality",
        ["production"],
        "c_reliable",
        "production",
        [
            ("milestone", "Implement a new MES system", "production"),
            ("milestone", "Hold quality workshops", "quality"),
        ],
    ),
]

# Draft company objectives of the current quarter, proposed by leadership: the first rollout group
# challenges them in the open challenge round (ROLLOUT_OPEN_ROUND). Same shape as COMPANY_OBJECTIVES.
DRAFT_COMPANY_OBJECTIVES = [
    (
        "dc_predictive",
        "Predictive maintenance becomes a service OEMs pay for",
        "data",
        1,
        "ceo",
        [
            ("metric", "OEMs paying for predictive maintenance", 0, 5, "OEMs", "sales"),
            ("milestone", "Launch the predictive maintenance dashboard", "portal"),
            ("metric", "Machine breakdowns prevented per month", 0, 40, "", "platform"),
        ],
    ),
    (
        "dc_talent",
        "We hire and keep the engineers our roadmap needs",
        "oneteam",
        2,
        "cto",
        [
            ("metric", "Open engineering positions filled", 0, 12, "hires", "hr_head"),
            ("metric", "Engineers who leave within their first year", 4, 1, "", "hr_head"),
            ("estimate", "Engineers recommend Vektor to friends", "hr_head"),
        ],
    ),
]

PRIVATE_OBJECTIVE = (
    "p_reorg",
    "Prepare the merger of Quality Assurance into Production",
    ["leadership"],
    "coo",
    [("milestone", "Leadership decision on the new production structure", "coo")],
)

PERSONAL_OBJECTIVE_TEMPLATES = [
    ("Become the go-to person for {topic}", [("estimate", "Colleagues bring {topic} questions to me first")]),
    (
        "Grow my skills in {topic}",
        [("milestone", "Finish a course on {topic}"), ("metric", "Reviews given on {topic} work", 0, 10, "")],
    ),
]
PERSONAL_TOPICS = [
    "CAN bus diagnostics",
    "cloud cost control",
    "customer interviews",
    "test automation",
    "data modelling",
]

COMMENTS = [
    "Steady week, no surprises.",
    "Blocked by a supplier delay, escalated on Tuesday.",
    "Better than expected thanks to help from the Cloud team.",
    "Numbers from the dashboard, double-checked with Finance.",
    "We changed our approach after the customer call.",
    "Slower than planned, we need a decision on priorities.",
    "Pilot customer gave very positive feedback.",
    "Holiday week, little movement.",
    "First measurement done, now we have a baseline.",
    "Paired with Hardware on the root cause.",
]

PREVIOUS_REFLECTIONS = [
    ("Cross-team stand-ups helped a lot.", "We set the target without a baseline.", "Measure first, then commit."),
    ("The pilot customer pulled us forward.", "Too many parallel topics.", "Focus on two key results."),
    ("Great collaboration with Production.", "Dependencies surfaced late.", "Agree on hand-overs in week 1."),
]

KPIS = [
    ("Monthly recurring revenue", "k€", "monthly", "at_least", 400, None, "cfo", 2.0, 380, 520),
    ("Device return rate", "%", "monthly", "at_most", None, 1.5, "quality", 0.0, 2.6, 1.4),
    ("Platform uptime", "%", "weekly", "at_least", 99.9, None, "platform", 0.0, 99.85, 99.97),
    ("Employee engagement score", "points", "quarterly", "between", 30, 70, "hr_head", 0.0, 28, 44),
    ("Open support tickets", "", "weekly", "at_most", None, 60, "success", 0.0, 95, 67),
]

INITIATIVES = [
    ("Dual-bank bootloader rollout", "firmware", "in_progress", ["g_firmware"]),
    ("Vibration test rig upgrade", "mechanics", "done", ["g_mechanics"]),
    ("Supplier scorecards for housings", "quality", "blocked", ["g_quality"]),
    ("Predictive maintenance pilot with a crane OEM", "sales", "in_progress", ["c_data"]),
    ("Portal campaign wizard", "portal", "in_progress", ["g_ota"]),
    ("Load test environment for the update service", "backend", "not_started", ["g_ota"]),
    ("OKR writing workshop for team leads", "hr_head", "done", ["g_rollout"]),
    ("Cost-centre dashboard in the BI tool", "finance", "in_progress", ["g_finance"]),
]

# Conversations on current objectives: (objective key, author, text, reactions as (person, emoji)).
# Authors and people are person keys or group keys (the group's lead); {key} in a text is replaced
# by that person's mention, so that the demo login (the ambassador) finds notifications waiting.
CONVERSATIONS = [
    (
        "c_reliable",
        "ceo",
        "Great to see the update rollbacks going down. {firmware}, what do you need from us to keep this pace?",
        [("cto", "thumbs_up"), ("ambassador", "raised_hands")],
    ),
    (
        "c_reliable",
        "firmware",
        "Mostly test devices from **Hardware**: we are short of the older CAN modules. {electronics}, can you spare a few?",
        [("electronics", "eyes")],
    ),
    (
        "c_reliable",
        "electronics",
        "Ten are on the way, the rest next week.",
        [("firmware", "tada"), ("ceo", "heart")],
    ),
    (
        "c_data",
        "cto",
        "{ambassador}, could we walk the data team through how to estimate a key result before the "
        "dashboard exists? The first check-ins are all zero.",
        [("platform", "thumbs_up")],
    ),
    (
        "c_data",
        "ambassador",
        "Yes: an **estimate** key result with a weekly best guess, and making the measurement the first "
        "milestone. I will put it on Thursday's session.",
        [("cto", "heart"), ("platform", "raised_hands")],
    ),
    (
        "g_firmware",
        "ambassador",
        "Nice example of an outcome, not an output. May I show this one in the next rollout group?",
        [("firmware", "thumbs_up")],
    ),
    (
        "c_oneteam",
        "hr_head",
        "The cross-team lunch had 46 people. {ambassador}, shall we add a key result for the second round?",
        [("ceo", "tada"), ("ambassador", "thumbs_up"), ("coo", "thumbs_up")],
    ),
]

# --- the OKR rollout (lodestar.rollout) ---------------------------------------------------------
# About five months in: the plan's steps that are due are done, except the milestone of the first
# rollout group, whose challenge of the draft company OKRs is still open. People are person keys
# or group keys (the group's lead), as above; dates count in weeks from the rollout's start.
ROLLOUT_STARTED_WEEKS_AGO = 23
ROLLOUT_OVERDUE_MILESTONE_WEEKS = 17  # "First rollout group done" stays open: its round is not closed
ROLLOUT_STEP_OWNERS = {9: "coo", 26: "hr_head", 28: "hr_head"}  # step (by its week) → owner; else the ambassador

# (name, description, goal, target week, invited in week, members, trainings as (week, topic, absent))
ROLLOUT_GROUPS = [
    (
        "First rollout group",
        "Five critical leads learn OKRs first, challenge the draft company OKRs and draft the first "
        "team OKRs aligned to them.",
        "checked_in",
        16,
        9,
        ["production", "firmware", "platform", "sales", "quality"],
        [
            (10, "Why OKRs, and outcomes instead of outputs", []),
            (12, "Writing key results that measure outcomes", ["sales"]),
        ],
    ),
    (
        "Second rollout group",
        "Six colleagues who introduce OKRs to their teams: each drafts a first objective and aligns it.",
        "aligned",
        25,
        20,
        ["backend:6", "assembly:9", "electronics:8", "sales_dach:5", "success:6", "apps:5"],
        [(21, "OKR basics with the onboarding deck", ["sales_dach:5", "apps:5"])],
    ),
]

# The second rollout group's first drafts (personal objectives of the current quarter, their key
# results owned by their lead): (person, title, aligned to (a current objective key) or None, key results)
ROLLOUT_JOINER_DRAFTS = [
    (
        "backend:6",
        "Partners trust our API to stay stable",
        "g_backend",
        [("metric", "Breaking API changes without a deprecation notice", 3, 0, "")],
    ),
    (
        "assembly:9",
        "My shift hands over without surprises",
        None,
        [("metric", "Shift handovers with an open issue nobody knew about", 6, 1, "per month")],
    ),
    (
        "electronics:8",
        "Test the CL-5 prototypes faster",
        None,
        [("milestone", "Automated power-draw test on the bench")],
    ),
]

# The round the first rollout group reviews now. Reviews: (reviewer, objective key, points, question);
# a point is (key result position or None for the objective, criterion, verdict, comment).
ROLLOUT_OPEN_ROUND = {
    "title": "Challenge the draft company OKRs",
    "deadline_in_days": 7,
    "opened_days_ago": 5,
    "objectives": ["dc_predictive", "dc_talent"],
    "reviews": [
        (
            "firmware",
            "dc_predictive",
            [
                (None, "outcome", "agree", "Customers paying for it is a real outcome."),
                (None, "kr_count", "agree", ""),
                (
                    1,
                    "outcome",
                    "disagree",
                    "Launching the dashboard is our output. What should change for the fleet once it is live?",
                ),
                (2, "measurable", "disagree", "How do we count a breakdown that did not happen? We have no baseline."),
            ],
            "Which OEM do we pilot with first? Firmware may need to log new CAN signals for it.",
        ),
        (
            "platform",
            "dc_predictive",
            [
                (
                    None,
                    "ambitious",
                    "agree",
                    "Five paying OEMs in one quarter is a stretch, but the crane pilot helps.",
                ),
                (1, "outcome", "disagree", "Same as Anna: a launch is not a result."),
                (2, "owner", "agree", "Data Platform can own this one."),
            ],
            "",
        ),
        ("platform", "dc_talent", [(None, "aligned", "agree", "")], ""),
        (
            "sales",
            "dc_talent",
            [
                (None, "outcome", "agree", ""),
                (
                    0,
                    "outcome",
                    "disagree",
                    "Filled positions counts activity. Would the time until a new engineer ships say more?",
                ),
                (2, "measurable", "disagree", "How will we measure this? A short survey every quarter?"),
            ],
            "",
        ),
        ("sales", "dc_predictive", [(0, "measurable", "agree", "A clear number; Sales reports it every week.")], ""),
        # Not submitted yet: only its reviewer sees it.
        ("quality", "dc_predictive", [(None, "aligned", "agree", "Fits our reliability pillar too.")], ""),
    ],
    "submitted": ["firmware", "platform", "sales"],
    # (reviewer, objective key, key result position, criterion, author, text)
    "replies": [
        (
            "firmware",
            "dc_predictive",
            1,
            "outcome",
            "ceo",
            "Fair point. What about “Fleets using the dashboard every week” instead?",
        ),
    ],
    # (reviewer, objective key, key result position, criterion, resolved by)
    "resolved": [("sales", "dc_talent", 2, "measurable", "cto")],
}

# A round closed earlier, with its decision log: the first team objectives of the quarter were
# challenged as the quarter began and published together when it closed.
ROLLOUT_CLOSED_ROUND = {
    "title": "Challenge the first team OKRs",
    "opened_week": 13,
    "deadline_week": 14,
    "closed_week": 15,
    "summary": "All three team objectives are published. Firmware raised its rollback target after the "
    "review; Quality will measure root causes instead of estimating them from next quarter.",
    # (objective key, decision, key result title changed since the round opened, its target then)
    "objectives": [
        (
            "g_firmware",
            "Published with a stricter target: at most 3 rollbacks per 10,000 updates.",
            "Failed update rollbacks per 10,000 updates",
            5,
        ),
        ("g_platform", "Published as drafted.", None, None),
        ("g_quality", "Published; the root-cause key result becomes a metric next quarter.", None, None),
    ],
    # (reviewer, objective key, criterion, verdict, comment): all submitted and resolved
    "points": [
        ("platform", "g_firmware", "ambitious", "disagree", "Five per 10,000 is not ambitious: OEMs expect fewer."),
        ("firmware", "g_quality", "outcome", "disagree", "“Root causes fed back” is hard to see. Can we count them?"),
        ("sales", "g_platform", "aligned", "agree", "Exactly what our OEM customers ask about."),
    ],
}
