"""Voluntary self-identification categories (EEO-1), as the demographics store and the audit use them.

Demographic data is never inferred and never observer-recorded (DATA-LIFECYCLE.md). It is read only
by the audit code and shown only to the `auditor` and `admin` roles: nothing here may reach a model
input, a log line or a recruiter's or candidate's page.
"""

from __future__ import annotations

DECLINED = "declined"
UNKNOWN = "unknown"

SEX_CATEGORIES = ("Male", "Female")
RACE_ETHNICITY_CATEGORIES = (
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Native Hawaiian or Other Pacific Islander",
    "Asian",
    "American Indian or Alaska Native",
    "Two or More Races",
)

# Every value a demographics row or an outcome row may hold (the migration's CHECK lists the same).
SEX_VALUES = (*SEX_CATEGORIES, DECLINED, UNKNOWN)
RACE_ETHNICITY_VALUES = (*RACE_ETHNICITY_CATEGORIES, DECLINED, UNKNOWN)

SOURCES = ("workday", "import")
