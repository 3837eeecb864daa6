"""Appointment routes (staff and /me/appointments/)."""

from rest_framework.routers import SimpleRouter

from . import me
from . import views as appointments

router = SimpleRouter()
router.register("appointments", appointments.AppointmentViewSet, basename="appointment")
router.register("me/appointments", me.MyAppointmentViewSet, basename="me-appointment")

urlpatterns = router.urls
