from django.urls import path

from wayfinder.prevention import views

app_name = "prevention"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<uuid:course_id>/", views.course, name="course"),
    path("materials/<uuid:material_id>/", views.material_file, name="material"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<uuid:session_id>/", views.session, name="session"),
    path("sessions/<uuid:session_id>/attendance/", views.attendance, name="attendance"),
    path("registrations/<uuid:registration_id>/check/<str:phase>/", views.check, name="check"),
    path(
        "registrations/<uuid:registration_id>/certificate/",
        views.certificate_issue,
        name="certificate_issue",
    ),
    path(
        "registrations/<uuid:registration_id>/certificate/print/",
        views.certificate,
        name="certificate",
    ),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<uuid:campaign_id>/", views.campaign, name="campaign"),
    path("campaigns/<uuid:campaign_id>/qr/<str:code>.svg", views.code_qr, name="code_qr"),
    path("reports/", views.report_page, name="reports"),
    path("reports/<str:name>.csv", views.report_csv, name="report_csv"),
]
