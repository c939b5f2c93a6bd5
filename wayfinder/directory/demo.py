"""The demo directory: about 60 fictional services around Chicago, made through the real import
(HSDS JSON) and the directory's actions (categories and features, listing, capacity).

Every name, address and phone number is invented; sites sit at real Chicago-area ZIP centroids
(from the ``zipcodes`` package, nudged a little so two sites never coincide), so distances from
the demo survivors' ZIP codes make sense. Some capacity figures are stale and some services are
not accepting referrals, so the pages show both.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from django.utils import timezone

from wayfinder.accounts.actions import update_agency
from wayfinder.directory import actions
from wayfinder.directory.geo import zip_centroid
from wayfinder.directory.models import Service

NAMESPACE = uuid.UUID("0b6f4a5e-2f1d-4c39-8d0c-5a8e9b7c1d23")
WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
STREETS = [
    "W Cermak Rd",
    "S Ashland Ave",
    "N Broadway",
    "W 26th St",
    "S Halsted St",
    "N Milwaukee Ave",
    "W Lawrence Ave",
    "S Cottage Grove Ave",
    "W Devon Ave",
    "W North Ave",
    "S Pulaski Rd",
    "W Division St",
]


def demo_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


# key, name, description, agency key (None: not on Wayfinder), website
ORGANIZATIONS = [
    (
        "harbor",
        "Harbor Light Alliance",
        "Lead anti-trafficking agency: case management and advocacy.",
        "lead",
    ),
    (
        "justice",
        "Justice Bridge Legal Aid",
        "Free legal help for survivors and immigrants.",
        "legal",
    ),
    (
        "safeharbor",
        "Safe Harbor Housing",
        "Shelter and housing for survivors of violence and trafficking.",
        "housing",
    ),
    ("riverbend", "Riverbend Counseling Center", "Counselling and trauma therapy.", "mental"),
    (
        "newdawn",
        "New Dawn Recovery Services",
        "Outpatient and residential substance use treatment.",
        "sud",
    ),
    (
        "pathways",
        "Pathways Workforce Center",
        "Job training, placement and adult education.",
        "vocational",
    ),
    (
        "lakeside",
        "Lakeside Community Health",
        "Community health centre: primary, dental and behavioural care.",
        "health",
    ),
    ("eastgate", "Eastgate Shelter Network", "Emergency shelters and basic needs.", "outside"),
    ("pilsen", "Pilsen Community Pantry", "Neighbourhood food pantry and clothing closet.", None),
    (
        "bridge",
        "Lakeview Language Bridge",
        "Community interpreters and document translation.",
        None,
    ),
    ("rides", "Southside Ride Partners", "Free rides to appointments.", None),
    ("steps", "Little Steps Childcare Cooperative", "Sliding-scale childcare.", None),
    (
        "welcome",
        "Uptown Welcome Center",
        "Newcomer support, community groups and benefits help.",
        None,
    ),
    ("brigid", "St. Brigid Women's House", "Faith-based residence for women.", None),
    (
        "money",
        "Greater Chicago Financial Empowerment",
        "Financial coaching and emergency funds.",
        None,
    ),
    (
        "devon",
        "Devon Avenue Family Clinic",
        "Family medicine for every language of the neighbourhood.",
        None,
    ),
    (
        "workers",
        "Back of the Yards Workers Center",
        "Workers' rights, wage claims and job leads.",
        None,
    ),
    ("learning", "Rogers Park Adult Learning", "English classes, GED and digital skills.", None),
    ("circle", "Chicago Mentoring Circle", "Survivor mentors and peer support groups.", None),
    ("chinatown", "Chinatown Family Services", "Family services in Mandarin and Cantonese.", None),
]

# One service each. Keys: org, name, cats, zip, langs, feats (feature -> True/value),
# cap (accepting, available, waitlist days, days since update), ages (min, max), only (genders),
# faith, days, hours, free, fees, elig, access.
S = dict
SERVICES = [
    # --- Harbor Light Alliance (lead) ---
    S(
        org="harbor",
        name="Survivor Case Management",
        cats=["case_management", "safety_planning"],
        zip="60601",
        langs=["eng", "spa", "quc"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            survivor_led=True,
            interpreter_available=True,
            serves_undocumented=True,
            free_of_cost=True,
            staff_gender="mixed",
            lgbtq_affirming=True,
        ),
        cap=(True, 6, 0, 2),
        free=True,
    ),
    S(
        org="harbor",
        name="24-Hour Crisis Line",
        cats=["crisis_intervention", "awareness"],
        zip=None,
        langs=["eng", "spa"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            interpreter_available=True,
            free_of_cost=True,
            serves_undocumented=True,
        ),
        cap=(True, None, 0, 1),
        days=EVERY_DAY,
        hours=("00:00", "23:59"),
        free=True,
    ),
    S(
        org="harbor",
        name="Survivor Mentor Program",
        cats=["mentoring", "community"],
        zip="60608",
        langs=["eng", "spa"],
        feats=dict(
            survivor_led=True,
            trauma_informed=True,
            trafficking_specific=True,
            free_of_cost=True,
            staff_gender="women",
        ),
        cap=(True, 3, 0, 5),
        free=True,
    ),
    S(
        org="harbor",
        name="Life Skills Circle",
        cats=["life_skills"],
        zip="60608",
        langs=["eng", "spa"],
        feats=dict(trauma_informed=True, trafficking_specific=True, free_of_cost=True),
        cap=(True, 8, 0, 20),
        free=True,
    ),
    S(
        org="harbor",
        name="Community Outreach and Red Flags Training",
        cats=["awareness"],
        zip="60601",
        langs=["eng", "spa", "vie"],
        feats=dict(trafficking_specific=True, free_of_cost=True),
        cap=(True, None, 0, 3),
        free=True,
    ),
    # --- Justice Bridge Legal Aid ---
    S(
        org="justice",
        name="T-Visa and Immigration Legal Services",
        cats=["legal_immigration"],
        zip="60607",
        langs=["eng", "spa", "por"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            serves_undocumented=True,
            free_of_cost=True,
            interpreter_available=True,
        ),
        cap=(True, 2, 21, 3),
        free=True,
        elig="Survivors of trafficking and other crimes, regardless of immigration status.",
    ),
    S(
        org="justice",
        name="Vacatur and Criminal Record Relief",
        cats=["legal_criminal"],
        zip="60607",
        langs=["eng", "spa"],
        feats=dict(trauma_informed=True, trafficking_specific=True, free_of_cost=True),
        cap=(True, 1, 30, 6),
        free=True,
    ),
    S(
        org="justice",
        name="Civil Legal Aid: Housing, Wages and Family",
        cats=["legal_civil"],
        zip="60623",
        langs=["eng", "spa"],
        feats=dict(
            trauma_informed=True,
            serves_undocumented=True,
            free_of_cost=True,
            interpreter_available=True,
        ),
        cap=(False, 0, 45, 4),
        free=True,
    ),
    # --- Safe Harbor Housing ---
    S(
        org="safeharbor",
        name="Safe Harbor Emergency Shelter",
        cats=["emergency_shelter"],
        zip="60612",
        langs=["eng", "spa"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            serves_undocumented=True,
            free_of_cost=True,
            staff_gender="women",
            lgbtq_affirming=True,
        ),
        only=["woman", "transgender", "non_binary"],
        cap=(True, 2, 0, 1),
        days=EVERY_DAY,
        hours=("00:00", "23:59"),
        free=True,
        ages=(18, None),
        access="Step-free entrance and one accessible room.",
    ),
    S(
        org="safeharbor",
        name="Transitional Housing for Survivors",
        cats=["housing"],
        zip="60622",
        langs=["eng", "spa"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            serves_undocumented=True,
            free_of_cost=True,
        ),
        cap=(True, 0, 60, 9),
        free=True,
        ages=(18, None),
    ),
    S(
        org="safeharbor",
        name="Youth Host Homes",
        cats=["housing", "emergency_shelter"],
        zip="60647",
        langs=["eng"],
        feats=dict(trauma_informed=True, lgbtq_affirming=True, free_of_cost=True),
        cap=(True, 1, 0, 2),
        ages=(16, 24),
        free=True,
    ),
    S(
        org="safeharbor",
        name="Rapid Rehousing",
        cats=["housing", "financial"],
        zip="60623",
        langs=["eng", "spa"],
        feats=dict(trauma_informed=True, free_of_cost=True),
        cap=(False, 0, 90, 30),
        free=True,
    ),
    # --- Riverbend Counseling Center ---
    S(
        org="riverbend",
        name="Trauma Therapy for Survivors",
        cats=["mental_health"],
        zip="60640",
        langs=["eng", "vie", "spa"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            interpreter_available=True,
            lgbtq_affirming=True,
            staff_gender="mixed",
        ),
        cap=(True, 2, 14, 4),
        fees="Sliding scale; no one turned away.",
    ),
    S(
        org="riverbend",
        name="Women's Trauma Recovery Group",
        cats=["mental_health", "community"],
        zip="60640",
        langs=["eng", "spa"],
        feats=dict(
            trauma_informed=True, trafficking_specific=True, free_of_cost=True, staff_gender="women"
        ),
        only=["woman"],
        cap=(True, 4, 0, 30),
        free=True,
    ),
    S(
        org="riverbend",
        name="Walk-in Crisis Counseling",
        cats=["crisis_intervention", "mental_health"],
        zip="60657",
        langs=["eng", "rus", "ukr"],
        feats=dict(trauma_informed=True, interpreter_available=True, free_of_cost=True),
        cap=(True, None, 0, 2),
        days="MO,TU,WE,TH,FR,SA",
        hours=("08:00", "20:00"),
        free=True,
    ),
    S(
        org="riverbend",
        name="Child and Family Therapy",
        cats=["mental_health"],
        zip="60625",
        langs=["eng", "spa"],
        feats=dict(trauma_informed=True),
        cap=(True, 1, 28, 10),
        ages=(3, 17),
        fees="Medicaid accepted; sliding scale.",
    ),
    # --- New Dawn Recovery Services ---
    S(
        org="newdawn",
        name="Outpatient Recovery Program",
        cats=["substance_use"],
        zip="60609",
        langs=["eng", "spa"],
        feats=dict(trauma_informed=True, trafficking_specific=True, interpreter_available=True),
        cap=(True, 5, 0, 3),
        fees="Medicaid and sliding scale.",
        ages=(18, None),
    ),
    S(
        org="newdawn",
        name="Women's Residential Treatment",
        cats=["substance_use"],
        zip="60619",
        langs=["eng"],
        feats=dict(
            trauma_informed=True, trafficking_specific=True, staff_gender="women", free_of_cost=True
        ),
        only=["woman"],
        cap=(True, 0, 12, 2),
        free=True,
        ages=(18, None),
    ),
    S(
        org="newdawn",
        name="Harm Reduction Drop-in",
        cats=["substance_use", "basic_needs"],
        zip="60624",
        langs=["eng", "spa"],
        feats=dict(
            trauma_informed=True, free_of_cost=True, lgbtq_affirming=True, serves_undocumented=True
        ),
        cap=(True, None, 0, 40),
        free=True,
    ),
    # --- Pathways Workforce Center ---
    S(
        org="pathways",
        name="Job Readiness and Placement",
        cats=["employment", "vocational"],
        zip="60616",
        langs=["eng", "spa", "cmn"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            free_of_cost=True,
            interpreter_available=True,
        ),
        cap=(True, 10, 0, 6),
        free=True,
        ages=(16, None),
    ),
    S(
        org="pathways",
        name="Culinary Skills Training",
        cats=["vocational"],
        zip="60616",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True),
        cap=(True, 0, 35, 8),
        free=True,
        ages=(18, None),
    ),
    S(
        org="pathways",
        name="GED and English Classes",
        cats=["education"],
        zip="60623",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        cap=(True, 15, 0, 25),
        free=True,
    ),
    S(
        org="pathways",
        name="Financial Literacy Workshop",
        cats=["financial", "life_skills"],
        zip="60616",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True, trauma_informed=True),
        cap=(True, 12, 0, 4),
        free=True,
    ),
    # --- Lakeside Community Health ---
    S(
        org="lakeside",
        name="Primary Care Clinic",
        cats=["medical"],
        zip="60608",
        langs=["eng", "spa", "quc"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            serves_undocumented=True,
            interpreter_available=True,
            lgbtq_affirming=True,
        ),
        cap=(True, 8, 3, 1),
        fees="Sliding scale; uninsured welcome.",
        access="Step-free entrance, lift to every floor, accessible exam rooms.",
    ),
    S(
        org="lakeside",
        name="Dental Clinic",
        cats=["medical"],
        zip="60623",
        langs=["eng", "spa"],
        feats=dict(interpreter_available=True, serves_undocumented=True),
        cap=(True, 0, 21, 5),
        fees="Sliding scale.",
    ),
    S(
        org="lakeside",
        name="Behavioral Health Integration",
        cats=["mental_health", "medical"],
        zip="60608",
        langs=["eng", "spa"],
        feats=dict(trauma_informed=True, interpreter_available=True),
        cap=(True, 3, 7, 18),
        fees="Sliding scale.",
    ),
    S(
        org="lakeside",
        name="Women's Health and Prenatal Care",
        cats=["medical"],
        zip="60632",
        langs=["eng", "spa"],
        feats=dict(trauma_informed=True, staff_gender="women", serves_undocumented=True),
        only=["woman", "transgender", "non_binary"],
        cap=(True, 4, 0, 2),
        fees="Medicaid; sliding scale.",
    ),
    # --- Eastgate Shelter Network (partner agency) ---
    S(
        org="eastgate",
        name="Eastgate Family Shelter",
        cats=["emergency_shelter"],
        zip="60617",
        langs=["eng", "spa"],
        feats=dict(trauma_informed=True, free_of_cost=True, serves_undocumented=True),
        cap=(False, 0, 20, 3),
        days=EVERY_DAY,
        hours=("00:00", "23:59"),
        free=True,
    ),
    S(
        org="eastgate",
        name="Men's Emergency Shelter",
        cats=["emergency_shelter"],
        zip="60619",
        langs=["eng"],
        feats=dict(free_of_cost=True, staff_gender="men", trauma_informed=True),
        only=["man"],
        cap=(True, 5, 0, 1),
        days=EVERY_DAY,
        hours=("00:00", "23:59"),
        free=True,
        ages=(18, None),
    ),
    S(
        org="eastgate",
        name="Clothing and Hygiene Closet",
        cats=["basic_needs"],
        zip="60617",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        cap=(True, None, 0, 50),
        free=True,
    ),
    # --- not on Wayfinder ---
    S(
        org="pilsen",
        name="Community Food Pantry",
        cats=["basic_needs"],
        zip="60608",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        cap=None,
        days="TU,TH,SA",
        hours=("10:00", "14:00"),
        free=True,
    ),
    S(
        org="pilsen",
        name="Winter Coat Drive",
        cats=["basic_needs"],
        zip="60623",
        langs=["spa"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        cap=(True, None, 0, 60),
        free=True,
    ),
    S(
        org="bridge",
        name="Community Interpreters",
        cats=["interpretation"],
        zip="60657",
        langs=["eng", "spa", "vie", "cmn", "ara", "som", "ukr", "rus", "quc", "twi"],
        feats=dict(free_of_cost=True, trauma_informed=True),
        cap=(True, 20, 0, 2),
        free=True,
    ),
    S(
        org="bridge",
        name="Document Translation",
        cats=["interpretation"],
        zip="60657",
        langs=["eng", "spa", "por", "fra"],
        feats=dict(),
        cap=(True, None, 5, 12),
        fees="$25 per page; waived for survivors.",
    ),
    S(
        org="rides",
        name="Rides to Appointments",
        cats=["transportation"],
        zip="60619",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        cap=(True, 10, 0, 3),
        free=True,
        days=WEEKDAYS,
        hours=("07:00", "19:00"),
    ),
    S(
        org="rides",
        name="Transit Card Program",
        cats=["transportation", "financial"],
        zip="60637",
        langs=["eng"],
        feats=dict(free_of_cost=True),
        cap=(True, 40, 0, 15),
        free=True,
    ),
    S(
        org="steps",
        name="Sliding-Scale Childcare",
        cats=["childcare"],
        zip="60647",
        langs=["eng", "spa", "por"],
        feats=dict(),
        cap=(True, 0, 40, 7),
        ages=(0, 5),
        fees="Sliding scale from $5 a day.",
    ),
    S(
        org="steps",
        name="Drop-in Childcare During Appointments",
        cats=["childcare"],
        zip="60622",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True, trauma_informed=True),
        cap=(True, 3, 0, 2),
        free=True,
        ages=(0, 12),
    ),
    S(
        org="welcome",
        name="Newcomer Community Groups",
        cats=["community", "mentoring"],
        zip="60640",
        langs=["eng", "vie", "som", "ara", "amh"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        cap=(True, None, 0, 9),
        free=True,
    ),
    S(
        org="welcome",
        name="Public Benefits Enrollment",
        cats=["financial", "case_management"],
        zip="60640",
        langs=["eng", "vie", "ara", "som"],
        feats=dict(free_of_cost=True, interpreter_available=True),
        cap=(True, 6, 4, 3),
        free=True,
    ),
    S(
        org="brigid",
        name="St. Brigid Residence for Women",
        cats=["housing", "emergency_shelter"],
        zip="60644",
        langs=["eng", "spa"],
        feats=dict(staff_gender="women", trauma_informed=True, free_of_cost=True),
        faith=True,
        only=["woman"],
        cap=(True, 1, 0, 4),
        free=True,
        ages=(18, None),
    ),
    S(
        org="brigid",
        name="Community Meals",
        cats=["basic_needs", "community"],
        zip="60644",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        faith=True,
        cap=None,
        days=EVERY_DAY,
        hours=("11:30", "13:30"),
        free=True,
    ),
    S(
        org="money",
        name="Emergency Assistance Fund",
        cats=["financial"],
        zip="60605",
        langs=["eng", "spa"],
        feats=dict(free_of_cost=True, trafficking_specific=True),
        cap=(False, 0, None, 20),
        free=True,
    ),
    S(
        org="money",
        name="Financial Coaching",
        cats=["financial", "life_skills"],
        zip="60605",
        langs=["eng"],
        feats=dict(free_of_cost=True),
        cap=(True, 4, 7, 6),
        free=True,
    ),
    S(
        org="devon",
        name="Family Medicine",
        cats=["medical"],
        zip="60659",
        langs=["eng", "urd", "hin", "ara", "ukr", "rus"],
        feats=dict(interpreter_available=True, serves_undocumented=True),
        cap=(True, 3, 10, 5),
        fees="Sliding scale.",
    ),
    S(
        org="devon",
        name="Refugee Health Screening",
        cats=["medical"],
        zip="60645",
        langs=["eng", "ara", "som", "amh", "tir"],
        feats=dict(interpreter_available=True, free_of_cost=True, trauma_informed=True),
        cap=(True, 2, 0, 22),
        free=True,
    ),
    S(
        org="workers",
        name="Wage Theft and Workers' Rights Clinic",
        cats=["legal_civil", "employment"],
        zip="60609",
        langs=["eng", "spa", "quc"],
        feats=dict(free_of_cost=True, serves_undocumented=True, trafficking_specific=True),
        cap=(True, 5, 0, 4),
        free=True,
        days="TU,TH",
        hours=("17:00", "20:00"),
    ),
    S(
        org="workers",
        name="Day Labor Job Leads",
        cats=["employment"],
        zip="60609",
        langs=["spa", "eng"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        cap=(True, None, 0, 3),
        free=True,
    ),
    S(
        org="learning",
        name="English as a Second Language",
        cats=["education"],
        zip="60626",
        langs=["eng", "spa", "ara", "som", "amh", "ukr"],
        feats=dict(free_of_cost=True, serves_undocumented=True),
        cap=(True, 12, 0, 11),
        free=True,
        ages=(16, None),
    ),
    S(
        org="learning",
        name="Digital Skills Lab",
        cats=["education", "vocational"],
        zip="60626",
        langs=["eng"],
        feats=dict(free_of_cost=True),
        cap=(True, 6, 0, 30),
        free=True,
    ),
    S(
        org="circle",
        name="Peer Mentors for Survivors",
        cats=["mentoring"],
        zip="60614",
        langs=["eng", "spa"],
        feats=dict(
            survivor_led=True,
            trafficking_specific=True,
            trauma_informed=True,
            free_of_cost=True,
            lgbtq_affirming=True,
        ),
        cap=(True, 2, 0, 8),
        free=True,
    ),
    S(
        org="circle",
        name="Support Group for Men",
        cats=["mentoring", "community"],
        zip="60651",
        langs=["eng", "spa"],
        feats=dict(survivor_led=True, staff_gender="men", free_of_cost=True),
        only=["man"],
        cap=(True, 6, 0, 5),
        free=True,
    ),
    S(
        org="chinatown",
        name="Family Services in Mandarin and Cantonese",
        cats=["case_management", "community"],
        zip="60616",
        langs=["cmn", "yue", "eng"],
        feats=dict(interpreter_available=True, free_of_cost=True, trauma_informed=True),
        cap=(True, 3, 0, 3),
        free=True,
    ),
    S(
        org="chinatown",
        name="Workers' Support Line",
        cats=["crisis_intervention", "employment"],
        zip="60616",
        langs=["cmn", "yue"],
        feats=dict(free_of_cost=True, trafficking_specific=True),
        cap=(True, None, 0, 16),
        free=True,
    ),
    S(
        org="chinatown",
        name="Elder and Youth Tutoring",
        cats=["education"],
        zip="60616",
        langs=["cmn", "yue", "eng"],
        feats=dict(free_of_cost=True),
        cap=(True, 4, 0, 6),
        free=True,
        ages=(6, 18),
    ),
    S(
        org="lakeside",
        name="Evanston Satellite Clinic",
        cats=["medical"],
        zip="60201",
        langs=["eng", "spa"],
        feats=dict(interpreter_available=True, trauma_informed=True),
        cap=(True, 2, 5, 3),
        fees="Sliding scale.",
    ),
    S(
        org="riverbend",
        name="Oak Park Counseling Office",
        cats=["mental_health"],
        zip="60302",
        langs=["eng", "fra", "hat"],
        feats=dict(trauma_informed=True, lgbtq_affirming=True),
        cap=(True, 1, 10, 2),
        fees="Insurance and sliding scale.",
        elig="Residents of Oak Park and River Forest (village mental health board funding).",
        # (name, (south, west, north, east)): a GeoJSON service area, a hard filter in matching.
        area=("Oak Park and River Forest", (41.865, -87.835, 41.910, -87.774)),
    ),
    S(
        org="safeharbor",
        name="South Suburban Safe House",
        cats=["emergency_shelter", "safety_planning"],
        zip="60409",
        langs=["eng", "spa"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            free_of_cost=True,
            staff_gender="mixed",
            serves_undocumented=True,
        ),
        cap=(True, 3, 0, 2),
        days=EVERY_DAY,
        hours=("00:00", "23:59"),
        free=True,
    ),
    S(
        org="pathways",
        name="Berwyn Career Center",
        cats=["employment", "vocational"],
        zip="60402",
        langs=["eng", "spa", "pol"],
        feats=dict(free_of_cost=True),
        cap=(True, 5, 0, 17),
        free=True,
    ),
    S(
        org="justice",
        name="Know Your Rights Workshops",
        cats=["awareness", "legal_immigration"],
        zip="60640",
        langs=["eng", "spa", "vie", "twi"],
        feats=dict(free_of_cost=True, serves_undocumented=True, trafficking_specific=True),
        cap=(True, 30, 0, 5),
        free=True,
        days="WE",
        hours=("18:00", "20:00"),
    ),
    S(
        org="harbor",
        name="Safety Planning Walk-in Hours",
        cats=["safety_planning", "crisis_intervention"],
        zip="60623",
        langs=["eng", "spa"],
        feats=dict(
            trauma_informed=True,
            trafficking_specific=True,
            free_of_cost=True,
            serves_undocumented=True,
            staff_gender="women",
        ),
        cap=(True, None, 0, 2),
        free=True,
        days="MO,WE,FR",
        hours=("10:00", "16:00"),
    ),
]


def _site(spec: dict, index: int) -> tuple[float, float]:
    if spec.get("at"):
        return spec["at"]
    lat, lng = zip_centroid(spec["zip"])
    # Spread sites sharing a ZIP a few hundred metres apart, deterministically.
    return round(lat + 0.004 * ((index % 5) - 2), 5), round(lng + 0.005 * ((index % 3) - 1), 5)


def service_json(spec: dict, index: int, org_key: str) -> dict:
    """One HSDS 3.0 service object (with its site, schedule, phone and languages) for a spec."""
    sid = demo_id("service", spec["name"])
    days, hours = spec.get("days", WEEKDAYS), spec.get("hours", ("09:00", "17:00"))
    service = {
        "id": sid,
        "name": spec["name"],
        "status": "active",
        "description": spec.get("description", f"{spec['name']}."),
        "eligibility_description": spec.get("elig", ""),
        "fees_description": "Free." if spec.get("free") else spec.get("fees", ""),
        "application_process": "Call or walk in; partners refer through Wayfinder.",
        "phones": [
            {"id": demo_id("phone", sid), "number": f"(312) 555-{100 + index:04d}", "type": "voice"}
        ],
        "schedules": [
            {
                "id": demo_id("schedule", sid),
                "freq": "WEEKLY",
                "byday": days,
                "opens_at": f"{hours[0]}:00",
                "closes_at": f"{hours[1]}:00",
                "description": "",
            }
        ],
        "languages": [],  # set through the listing action below
        "cost_options": (
            [{"id": demo_id("cost", sid), "option": "Free", "amount": 0, "currency": "USD"}]
            if spec.get("free")
            else []
        ),
        "service_at_locations": [],
    }
    if spec.get("area"):
        name, (south, west, north, east) = spec["area"]
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        service["service_areas"] = [
            {
                "id": demo_id("area", sid),
                "name": name,
                "description": f"Serves residents of {name} only.",
                "extent": json.dumps({"type": "Polygon", "coordinates": [ring]}),
                "extent_type": "geojson",
            }
        ]
    if spec.get("ages"):
        low, high = spec["ages"]
        if low is not None:
            service["minimum_age"] = low
        if high is not None:
            service["maximum_age"] = high
    if spec["zip"]:
        lat, lng = _site(spec, index)
        lid = demo_id("location", sid)
        service["service_at_locations"] = [
            {
                "id": demo_id("sal", sid),
                "location": {
                    "id": lid,
                    "location_type": "physical",
                    "name": f"{spec['name']} site",
                    "latitude": lat,
                    "longitude": lng,
                    "addresses": [
                        {
                            "id": demo_id("address", lid),
                            "address_1": f"{1000 + 37 * index} {STREETS[index % len(STREETS)]}",
                            "city": "Chicago"
                            if spec["zip"].startswith("606")
                            else {"60201": "Evanston", "60302": "Oak Park", "60402": "Berwyn"}.get(
                                spec["zip"], "Calumet City"
                            ),
                            "state_province": "IL",
                            "postal_code": spec["zip"],
                            "country": "US",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [
                        {
                            "id": demo_id("access", lid),
                            "description": spec.get("access", "Step-free entrance."),
                        }
                    ],
                },
            }
        ]
    return service


def organizations_json() -> list[dict]:
    """Every demo organization with its services, as HSDS 3.0 JSON objects."""
    orgs = []
    for key, name, description, _agency in ORGANIZATIONS:
        services = [
            service_json(spec, i, key) for i, spec in enumerate(SERVICES) if spec["org"] == key
        ]
        orgs.append(
            {
                "id": demo_id("organization", key),
                "name": name,
                "description": description,
                "website": f"https://{key}.example.org",
                "services": services,
            }
        )
    return orgs


def apply_facts(spec: dict, service: Service, actor) -> None:
    """Categories, features, listing and capacity of a spec, through the directory's actions."""
    features = {k: v for k, v in spec.get("feats", {}).items()}
    actions.set_service_facts(service, actor=actor, categories=spec["cats"], features=features)
    actions.update_service_listing(
        service,
        actor=actor,
        languages=spec.get("langs", []),
        eligible_genders=spec.get("only", []),
        faith_based=bool(spec.get("faith")),
    )
    cap = spec.get("cap")
    if cap is None:
        return
    accepting, available, waitlist, days_ago = cap
    when = timezone.now() - timedelta(days=days_ago, hours=3)
    # Capacity figures as the partner last gave them (some long ago: shown as stale).
    actions.update_capacity(
        service,
        actor=actor,
        accepting_referrals=accepting,
        available=available,
        waitlist_days=waitlist,
        unit_name="place" if available is not None else "",
        as_of=when,
    )


def load(net) -> None:

    actions.import_hsds(
        {"demo-directory.json": json.dumps(organizations_json()).encode()},
        actor=None,
        source="demo",
    )
    for spec in SERVICES:
        service = Service.objects.get(pk=demo_id("service", spec["name"]))
        apply_facts(spec, service, None)
    admin = net.actor("netadmin", "lead")
    for key, _name, _description, agency_key in ORGANIZATIONS:
        if agency_key and agency_key in net.agencies:
            update_agency(
                net.agencies[agency_key],
                actor=admin,
                directory_organization_id=demo_id("organization", key),
            )
    net.extra["directory_services"] = {
        spec["name"]: demo_id("service", spec["name"]) for spec in SERVICES
    }
