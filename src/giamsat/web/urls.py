from django.urls import path

from giamsat.web.views import (
    accounts,
    dashboard,
    exports,
    imports,
    indicators,
    organisations,
    outbox,
    reporting,
    reports,
    review,
    tasks,
)

app_name = "web"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dang-nhap/", accounts.LoginView.as_view(), name="login"),
    path("dang-xuat/", accounts.LogoutView.as_view(), name="logout"),
    path("nhiem-vu/", tasks.task_list, name="tasks"),
    path("nhiem-vu/<int:pk>/", tasks.task_detail, name="task"),
    path("chi-tieu/", indicators.indicator_list, name="indicators"),
    path("chi-tieu/<slug:code>/", indicators.indicator_detail, name="indicator"),
    path("co-quan/", organisations.organisation_list, name="organisations"),
    path("co-quan/<slug:slug>/", organisations.organisation_detail, name="organisation"),
    # Cập nhật: an agency's report for a month.
    path("cap-nhat/", reporting.report_home, name="report"),
    path("cap-nhat/<slug:slug>/<str:period>/", reporting.report_period, name="report_period"),
    path("cap-nhat/<slug:slug>/<str:period>/nhiem-vu/<int:assignment_id>/",
         reporting.update_form, name="report_update"),
    path("cap-nhat/<slug:slug>/<str:period>/chi-tieu/", reporting.save_values,
         name="report_values"),
    path("cap-nhat/<slug:slug>/<str:period>/gui/", reporting.submit_report,
         name="report_submit"),
    path("minh-chung/<int:pk>/", reporting.evidence_file, name="evidence_file"),
    path("minh-chung/<int:pk>/xoa/", reporting.delete_evidence, name="evidence_delete"),
    # Duyệt: the standing office reviews.
    path("duyet/", review.review_queue, name="review_queue"),
    path("duyet/mo-lai/", review.reopen, name="reopen"),
    path("duyet/<int:pk>/", review.submission_detail, name="submission"),
    path("duyet/<int:pk>/phe-duyet/", review.approve, name="approve"),
    path("duyet/<int:pk>/tra-lai/", review.return_report, name="return"),
    path("thu-gui/", outbox.outbox, name="outbox"),
    path("thu-gui/<int:pk>/", outbox.message, name="message"),
    # Báo cáo: the programme's reports, written from the data.
    path("bao-cao/", reports.report_list, name="reports"),
    path("bao-cao/<int:pk>/", reports.generated_report, name="generated_report"),
    path("bao-cao/<int:pk>/tai-ve/", reports.download_report, name="download_report"),
    path("api/export/<slug:entity>.<slug:fmt>", exports.export, name="export"),
    # Nhập dữ liệu.
    path("nhap-du-lieu/", imports.import_home, name="imports"),
    path("nhap-du-lieu/<int:pk>/", imports.upload_detail, name="upload"),
    path("nhap-du-lieu/<int:pk>/nhap/", imports.upload_confirm, name="upload_confirm"),
    path("nhap-du-lieu/<int:pk>/doc-lai/", imports.upload_retry, name="upload_retry"),
    path("nhap-du-lieu/<int:pk>/huy/", imports.upload_cancel, name="upload_cancel"),
    path("nhap-du-lieu/<int:pk>/bang/", imports.upload_map, name="upload_map"),
    path("nhap-du-lieu/lan-nhap/<int:pk>/", imports.import_run, name="import_run"),
    path("nhap-du-lieu/doi-chieu/", imports.match_list, name="matches"),
    path("nhap-du-lieu/doi-chieu/<int:pk>/", imports.match_decide, name="match_decide"),
    path("nhap-du-lieu/doi-chieu/nhieu/", imports.match_decide_many, name="match_decide_many"),
    path("nhap-du-lieu/hop-nhat/<int:pk>/hoan-tac/", imports.merge_undo, name="merge_undo"),
]
