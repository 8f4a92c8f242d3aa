from django.urls import path

from . import views

app_name = "cooperatives"
urlpatterns = [
    path("", views.CooperativeListView.as_view(), name="cooperative_list"),
    path("add/", views.CooperativeCreateView.as_view(), name="cooperative_add"),
    path("<int:pk>/", views.CooperativeDetailView.as_view(), name="cooperative_detail"),
    path("<int:pk>/edit/", views.CooperativeUpdateView.as_view(), name="cooperative_edit"),
    path("<int:pk>/delete/", views.CooperativeDeleteView.as_view(), name="cooperative_delete"),
    path("<int:pk>/members/add/", views.CooperativeMemberCreateView.as_view(),
         name="cooperativemember_add"),
    path("members/<int:pk>/edit/", views.CooperativeMemberUpdateView.as_view(), name="cooperativemember_edit"),
    path("members/<int:pk>/delete/", views.CooperativeMemberDeleteView.as_view(), name="cooperativemember_delete"),
    path("members/pmi-search/", views.member_migrant_search_view, name="member_migrant_search"),
    path("<int:pk>/figures/add/", views.CooperativeYearlyFigureCreateView.as_view(),
         name="cooperativeyearlyfigure_add"),
    path("figures/<int:pk>/edit/", views.CooperativeYearlyFigureUpdateView.as_view(),
         name="cooperativeyearlyfigure_edit"),
    path("figures/<int:pk>/delete/", views.CooperativeYearlyFigureDeleteView.as_view(),
         name="cooperativeyearlyfigure_delete"),
]
