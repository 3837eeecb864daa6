"""Appointment routes (staff and /me/appointments/)."""

from rest_framework.routers import SimpleRouter

from . import views as appointments

router = SimpleRouter()
router.register("appointments", appointments.AppointmentViewSet, basename="appointment")
router.register("me/appointments", appointments.MyAppointmentViewSet, basename="me-appointment")

urlpatterns = router.urls
