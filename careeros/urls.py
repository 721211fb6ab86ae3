from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("resumes/", include("resumes.urls")),
    path("review/", include("merges.urls")),
    path("account/data/", include("exports.urls")),
    path("career/", include("enrichment.urls")),
    path("interviews/", include("interviews.urls")),
    path("", include("profiles.urls")),
]
