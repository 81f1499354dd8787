from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from dyade.accounts import account_views as account_pages
from dyade.accounts import reset_views, two_factor_views
from dyade.accounts import views as account_views
from dyade.cases import lifecycle_views
from dyade.cases import views as case_views
from dyade.diary import phone_views
from dyade.diary import views as diary_views
from dyade.documents import brief_views, closing_views, report_views
from dyade.exercises import partner_views as exercise_partner_views
from dyade.exercises import therapist_views as exercise_therapist_views
from dyade.overview import case_views as overview_case_views
from dyade.overview import caseload_views, since_views
from dyade.overview import partner_views as overview_partner_views
from dyade.practice import audit_views
from dyade.practice import language_views as practice_language_views
from dyade.practice import views as practice_views
from dyade.progress import admin_views as progress_admin_views
from dyade.progress import partner_views as progress_partner_views
from dyade.progress import views as progress_views
from dyade.questionnaires import admin_views as instrument_views
from dyade.questionnaires import partner_views as questionnaire_views
from dyade.questionnaires import therapist_views as case_questionnaire_views
from dyade.reading import views as reading_views
from dyade.reflection import views as reflection_views
from dyade.reminders import views as reminder_views
from dyade.research import admin_views as study_admin_views
from dyade.research import partner_views as research_partner_views
from dyade.research import views as research_views
from dyade.rights import admin_views as rights_admin_views
from dyade.rights import destroy_views as rights_destroy_views
from dyade.rights import views as rights_views
from dyade.sessions import appointment_views, check_in_views, room_views
from dyade.sessions import partner_views as session_partner_views
from dyade.sessions import views as session_views


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: this process answers (no database is asked)."""
    return HttpResponse(b"ok\n", content_type="text/plain")


account_patterns = (
    [
        path("login/", account_views.LoginView.as_view(), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("language/", account_views.set_language, name="language"),
        path("2fa/setup/", two_factor_views.setup, name="2fa_setup"),
        path("2fa/", two_factor_views.verify, name="2fa_verify"),
        path("2fa/recovery/", two_factor_views.use_recovery_code, name="2fa_recovery"),
        path("", account_pages.account, name="account"),
        path("password/", account_pages.change_password, name="password_change"),
        path("two-step/new/", account_pages.new_phone, name="2fa_new_phone"),
        path("two-step/codes/", account_pages.new_codes, name="recovery_codes"),
        path("password-reset/", reset_views.password_reset, name="password_reset"),
        path("password-reset/sent/", reset_views.password_reset_done, name="password_reset_done"),
        path(
            "password/<uidb64>/<token>/",
            reset_views.SetPasswordView.as_view(),
            name="password_reset_confirm",
        ),
    ],
    "accounts",
)

case_patterns = (
    [
        path("", caseload_views.case_list, name="list"),
        path("new/", case_views.case_create, name="create"),
        path("<int:pk>/", overview_case_views.case_detail, name="detail"),
        path("<int:pk>/partners/<str:slot>/invite/", case_views.invite, name="invite"),
        path("<int:pk>/manage/", lifecycle_views.manage, name="manage"),
        path("<int:pk>/manage/form/", lifecycle_views.change_form, name="change_form"),
        path("<int:pk>/manage/close/", lifecycle_views.close, name="close"),
        path("<int:pk>/manage/reopen/", lifecycle_views.reopen, name="reopen"),
        path("<int:pk>/manage/add/", lifecycle_views.add_therapist, name="add_therapist"),
        path("<int:pk>/manage/hand-over/", lifecycle_views.hand_over, name="hand_over"),
        path("<int:pk>/manage/summary/", closing_views.partner_summary, name="partner_summary"),
        path(
            "<int:pk>/manage/summary/<int:summary_id>/withdraw/",
            closing_views.withdraw,
            name="partner_summary_withdraw",
        ),
        path("<int:pk>/questionnaires/", case_questionnaire_views.overview, name="questionnaires"),
        path(
            "<int:pk>/questionnaires/assign/",
            case_questionnaire_views.assign,
            name="assign_questionnaire",
        ),
        path(
            "<int:pk>/questionnaires/<int:administration_id>/",
            case_questionnaire_views.detail,
            name="questionnaire",
        ),
        path(
            "<int:pk>/questionnaires/<int:administration_id>/reopen/",
            case_questionnaire_views.reopen,
            name="reopen_questionnaire",
        ),
        path(
            "<int:pk>/questionnaires/<int:administration_id>/fhir/",
            case_questionnaire_views.export,
            name="questionnaire_fhir",
        ),
        path("<int:pk>/guidance/", session_views.guidance_page, name="guidance"),
        path("<int:pk>/diary-items/", diary_views.diary_items, name="diary_items"),
        path("<int:pk>/since/", since_views.since_last_session, name="since"),
        path("<int:pk>/brief/", brief_views.session_brief, name="brief"),
        path("<int:pk>/reports/", report_views.report_list, name="reports"),
        path("<int:pk>/reports/<slug:kind>/", report_views.report, name="report"),
        path("<int:pk>/progress/", progress_views.case_progress, name="progress"),
        path("<int:pk>/observations/new/", session_views.observation_new, name="observation_new"),
        path(
            "<int:pk>/guidance/<str:signal_id>/decide/", session_views.decide, name="decide_signal"
        ),
        path("<int:pk>/track/", session_views.change_track, name="change_track"),
        path("<int:pk>/cycle/", session_views.cycle_page, name="cycle"),
        path("<int:pk>/cycle/edit/", session_views.cycle_edit, name="cycle_edit"),
        path(
            "<int:pk>/cycle/<int:number>/publish/",
            session_views.cycle_publish,
            name="cycle_publish",
        ),
        path("<int:pk>/sessions/", appointment_views.sessions_page, name="sessions"),
        path("<int:pk>/sessions/check-ins/", appointment_views.check_in_plan, name="check_in_plan"),
        path(
            "<int:pk>/sessions/<int:appointment_id>/",
            appointment_views.session_detail,
            name="session",
        ),
        path(
            "<int:pk>/sessions/<int:appointment_id>/room/",
            appointment_views.room_start,
            name="room_start",
        ),
        path("<int:pk>/reading/", reading_views.case_reading, name="reading"),
        path("<int:pk>/reading/<slug:slug>/", reading_views.preview, name="reading_preview"),
        path("<int:pk>/exercises/", exercise_therapist_views.case_exercises, name="exercises"),
        path(
            "<int:pk>/exercises/in-session/<slug:slug>/",
            exercise_therapist_views.in_session,
            name="in_session",
        ),
        path(
            "<int:pk>/exercises/<int:assignment_id>/",
            exercise_therapist_views.debrief,
            name="exercise",
        ),
        path(
            "<int:pk>/exercises/<int:assignment_id>/step/",
            exercise_therapist_views.move,
            name="exercise_step",
        ),
        path(
            "<int:pk>/exercises/<int:assignment_id>/end/",
            exercise_therapist_views.end,
            name="exercise_end",
        ),
    ],
    "cases",
)

diary_patterns = (
    [
        path("", overview_partner_views.home, name="home"),
        path("diary/", diary_views.today, name="today"),
        path("diary/<str:day>/", diary_views.entry, name="entry"),
        path("questionnaires/", questionnaire_views.questionnaire_list, name="questionnaires"),
        path("questionnaires/<int:pk>/", questionnaire_views.resume, name="questionnaire"),
        path(
            "questionnaires/<int:pk>/page/<int:number>/",
            questionnaire_views.page,
            name="questionnaire_page",
        ),
        path(
            "questionnaires/<int:pk>/review/",
            questionnaire_views.review,
            name="questionnaire_review",
        ),
        path("check-ins/start/", check_in_views.start, name="check_in_start"),
        path("cycle/", session_partner_views.my_cycle, name="cycle"),
        path("progress/", progress_partner_views.my_progress, name="progress"),
        path("progress/share/", progress_partner_views.share, name="progress_share"),
        path("reading/", reading_views.my_reading, name="reading"),
        path("reading/<slug:slug>/", reading_views.read_page, name="read"),
        path("reminders/", reminder_views.reminders, name="reminders"),
        path("research/", research_partner_views.my_studies, name="studies"),
        path("research/<int:pk>/", research_partner_views.my_study, name="study"),
        path("exercises/", exercise_partner_views.my_exercises, name="exercises"),
        path("exercises/<int:pk>/", exercise_partner_views.exercise, name="exercise"),
        path("exercises/<int:pk>/timer/", exercise_partner_views.timer, name="exercise_timer"),
        path("exercises/<int:pk>/runs/", exercise_partner_views.run_events, name="exercise_runs"),
        path(
            "exercises/<int:pk>/logs/<int:log_id>/",
            exercise_partner_views.edit_log,
            name="exercise_log",
        ),
    ],
    "diary",
)

room_patterns = (
    [path("", room_views.page, name="page"), path("unlock/", room_views.unlock, name="unlock")],
    "room",
)

reflection_patterns = ([path("", reflection_views.profile, name="profile")], "reflection")

practice_patterns = (
    [
        path("", practice_views.therapists, name="therapists"),
        path("therapists/<int:pk>/toggle/", practice_views.toggle_therapist, name="toggle"),
        path("therapists/<int:pk>/reset-2fa/", practice_views.reset_two_factor, name="reset_2fa"),
        path("audit/", audit_views.audit_log, name="audit"),
        path("audit/export.csv", audit_views.audit_csv, name="audit_csv"),
        path("instruments/", instrument_views.instruments, name="instruments"),
        path("researchers/", practice_views.researchers, name="researchers"),
        path("studies/", study_admin_views.studies, name="studies"),
        path("studies/new/", study_admin_views.study_new, name="study_new"),
        path("studies/<int:pk>/", study_admin_views.study_edit, name="study"),
        path("language/", practice_language_views.language, name="language"),
        path("reliable-change/", progress_admin_views.values_list, name="change_values"),
        path(
            "reliable-change/<int:pk>/", progress_admin_views.values_edit, name="change_value_edit"
        ),
        path(
            "reliable-change/<int:pk>/delete/",
            progress_admin_views.values_delete,
            name="change_value_delete",
        ),
    ],
    "practice",
)

research_patterns = (
    [
        path("", research_views.home, name="home"),
        path("studies/<int:pk>/", research_views.study, name="study"),
        path("studies/<int:pk>/export/", research_views.export, name="export"),
        path("studies/<int:pk>/exports/<str:token>/", research_views.download, name="download"),
        path("studies/<int:pk>/analysis/", research_views.analyse, name="analysis"),
    ],
    "research",
)

rights_patterns = (
    [
        path("me/data/", rights_views.my_data, name="my_data"),
        path("me/data/download/", rights_views.my_data_download, name="download"),
        path("me/seen/", rights_views.who_has_seen, name="seen"),
        path("practice/copies/", rights_admin_views.copy_request, name="copy_request"),
        path("practice/retention/", rights_destroy_views.retention_page, name="retention"),
        path("practice/destroy/<int:case_id>/", rights_destroy_views.destroy, name="destroy"),
        path(
            "practice/destroy/<int:case_id>/confirm/", rights_destroy_views.confirm, name="confirm"
        ),
        path("practice/destroyed/<int:pk>/", rights_destroy_views.destroyed, name="destroyed"),
    ],
    "rights",
)

urlpatterns = [
    path("", case_views.home, name="home"),
    path("account/", include(account_patterns)),
    path("cases/", include(case_patterns)),
    # A partner's own copy of what was given at closing: open when the case is closed.
    path("me/closing.pdf", closing_views.my_closing_pdf, name="closing_pdf"),
    path("me/", include(diary_patterns)),
    path("practice/", include(practice_patterns)),
    path("research/", include(research_patterns)),
    path("reflection/", include(reflection_patterns)),
    path("room/", include(room_patterns)),
    path("", include(rights_patterns)),
    path("invite/<str:token>/", case_views.accept_invitation, name="accept_invitation"),
    path("exit/", diary_views.quick_exit, name="quick_exit"),
    path("sw.js", phone_views.service_worker, name="service_worker"),
    path("health/", health, name="health"),
]

handler400 = "dyade.errors.bad_request"
handler403 = "dyade.errors.permission_denied"
handler404 = "dyade.errors.page_not_found"
handler500 = "dyade.errors.server_error"
