from django.urls import path

from enrichment import views

urlpatterns = [
    path("", views.career, name="career"),
    path("card_hx", views.enrichment_dashboard_card_hx, name="enrichment_dashboard_card_hx"),
    path("jobs/", views.enrichment_job_start, name="enrichment_job_start"),
    path("jobs/<uuid:job_id>/", views.enrichment_job, name="enrichment_job"),
    path(
        "jobs/<uuid:job_id>/status_hx",
        views.enrichment_job_status_hx,
        name="enrichment_job_status_hx",
    ),
    path("jobs/<uuid:job_id>/cancel", views.enrichment_job_cancel, name="enrichment_job_cancel"),
    path("jobs/<uuid:job_id>/retry", views.enrichment_job_retry, name="enrichment_job_retry"),
    path(
        "proposals/<uuid:enrichment_id>/accept",
        views.entry_enrichment_accept,
        name="entry_enrichment_accept",
    ),
    path(
        "proposals/<uuid:enrichment_id>/skills",
        views.entry_enrichment_add_skills,
        name="entry_enrichment_add_skills",
    ),
    path(
        "proposals/<uuid:enrichment_id>/dismiss",
        views.entry_enrichment_dismiss,
        name="entry_enrichment_dismiss",
    ),
]
