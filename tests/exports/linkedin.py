"""LinkedIn data-export ZIPs built from LinkedIn's documented CSV columns."""

from __future__ import annotations

import csv
import io
import zipfile

PROFILE = [
    {
        "First Name": "Priya",
        "Last Name": "Raman",
        "Maiden Name": "",
        "Address": "",
        "Birth Date": "",
        "Headline": "Staff Data Engineer",
        "Summary": "Builds data platforms.",
        "Industry": "Software Development",
        "Zip Code": "",
        "Geo Location": "Pune, Maharashtra, India",
        "Twitter Handles": "",
        "Websites": "",
        "Instant Messengers": "",
    }
]
EMAILS = [
    {"Email Address": "old@example.net", "Confirmed": "Yes", "Primary": "No", "Updated On": ""},
    {"Email Address": "priya@example.com", "Confirmed": "Yes", "Primary": "Yes", "Updated On": ""},
]
POSITIONS = [
    {
        "Company Name": "Tessellate Analytics",
        "Title": "Staff Data Engineer",
        "Description": "Runs the streaming platform.",
        "Location": "Pune, Maharashtra, India",
        "Started On": "Mar 2021",
        "Finished On": "",
    },
    {
        "Company Name": "Orbital Freight",
        "Title": "Data Engineer",
        "Description": "Built the shipment warehouse, on Snowflake",
        "Location": "Bengaluru, Karnataka, India",
        "Started On": "Jul 2017",
        "Finished On": "Feb 2021",
    },
]
EDUCATION = [
    {
        "School Name": "College of Engineering Pune",
        "Start Date": "2013",
        "End Date": "2017",
        "Notes": "",
        "Degree Name": "Bachelor of Technology - BTech, Computer Engineering",
        "Activities": "Robotics club",
    }
]
SKILLS = [{"Name": "Apache Kafka"}, {"Name": "Snowflake"}, {"Name": "Python"}]
CERTIFICATIONS = [
    {
        "Name": "Databricks Certified Data Engineer Professional",
        "Url": "https://credentials.example.com/123",
        "Authority": "Databricks",
        "Started On": "Sep 2023",
        "Finished On": "Sep 2025",
        "License Number": "DB-998877",
    }
]
PROJECTS = [
    {
        "Title": "Lakehouse Migration",
        "Description": "Moved 40 pipelines to a lakehouse.",
        "Url": "https://github.com/example/lakehouse",
        "Started On": "Jan 2022",
        "Finished On": "Aug 2022",
    }
]
CONNECTIONS_NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n\n'
)
CONNECTIONS = [
    {
        "First Name": "Karthik",
        "Last Name": "Iyer",
        "URL": "",
        "Email Address": "",
        "Company": "",
        "Position": "",
        "Connected On": "",
    }
]


def _csv(rows: list[dict[str, str]], preamble: str = "") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return preamble + out.getvalue()


def linkedin_export() -> bytes:
    """A member's export with the career files and one file CareerOS must not read."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Profile.csv", _csv(PROFILE))
        archive.writestr("Email Addresses.csv", _csv(EMAILS))
        archive.writestr("Positions.csv", _csv(POSITIONS))
        archive.writestr("Education.csv", _csv(EDUCATION))
        archive.writestr("Skills.csv", _csv(SKILLS))
        archive.writestr("Certifications.csv", _csv(CERTIFICATIONS))
        archive.writestr("Projects.csv", _csv(PROJECTS))
        archive.writestr("Connections.csv", _csv(CONNECTIONS, CONNECTIONS_NOTES))
        archive.writestr("messages.csv", "FROM,TO,CONTENT\nKarthik,Priya,private words\n")
    return out.getvalue()
