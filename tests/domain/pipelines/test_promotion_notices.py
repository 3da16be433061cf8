"""Who is told about a promotion packet: its approver when it is submitted, its author and
person when it is decided."""

from __future__ import annotations

from pipelines.promotions import People, told_of_decision, told_of_submission

# The person 1, their manager and the packet's author 2, whose manager 3 approves.
PEOPLE = People(subject_id=1, author_id=2, subject_manager_id=2, author_manager_id=3)


def test_the_authors_manager_is_told_and_no_admin() -> None:
    assert told_of_submission(PEOPLE, admin_ids=[9, 8]) == (3,)


def test_without_a_manager_every_admin_who_may_decide_is_told() -> None:
    people = People(subject_id=1, author_id=2, subject_manager_id=2, author_manager_id=None)
    # The author (an admin too) and the person may not decide their own packet.
    assert told_of_submission(people, admin_ids=[9, 2, 1, 8, 9]) == (8, 9)
    assert told_of_submission(people, admin_ids=[]) == ()


def test_a_manager_who_may_not_decide_leaves_it_to_the_admins() -> None:
    # The person's manager changed to the author's manager: whoever edits does not approve.
    people = People(subject_id=1, author_id=2, subject_manager_id=3, author_manager_id=3)
    assert told_of_submission(people, admin_ids=[3, 7]) == (7,)


def test_a_decision_tells_the_author_and_the_person_each_once() -> None:
    assert told_of_decision(PEOPLE) == (2, 1)
    same = People(subject_id=5, author_id=5, subject_manager_id=None, author_manager_id=3)
    assert told_of_decision(same) == (5,)
