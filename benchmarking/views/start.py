from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from benchmarking.permissions import is_board_member, is_secretariat


@login_required
def start(request):
    """Where a user lands after logging in: the screen of their role."""
    user = request.user
    if is_secretariat(user):
        return redirect("benchmarking:review_queue")
    if hasattr(user, "expert"):
        return redirect("benchmarking:interview_list")
    if user.managed_clusters.exists() or user.questionnaire_invitations.filter(revoked_at__isnull=True).exists():
        return redirect("benchmarking:my_cluster")  # their labels, reports and questionnaire
    if is_board_member(user):
        return redirect("benchmarking:board_pending")
    return redirect("home")
