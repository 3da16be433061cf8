"""Hiring pipelines derived from the ladder: stage plans, application states, scorecards.

Pure Python (the ladder package only): no Flask, SQLAlchemy, WTForms or ``app`` import. The
app stores requisitions, applications and scorecards; every rule about them lives here.

==================  =========================================================================
``plan``            a family's hiring process as a :class:`~pipelines.plan.PipelinePlan` of
                    typed stages (``build_plan``, ``plan_for_level``, ``classify_stage``)
``applications``    the application state machine: ``open_application``, ``advance``,
                    ``move_to_references``, ``decline``, ``withdraw``, ``make_offer``,
                    ``hire``, each returning the new state and the transition to record;
                    ``move_on`` (what moving on means at each stage), ``DeclineReason``
``requisitions``    the statuses of a requisition and what each allows
``assessment``      the written assessment's questions, and where its link stands
``scorecards``      ratings, criteria from the ladder (``criteria_for``), validation,
                    blind feedback (``can_see_others``), the side-by-side view
``focus``           which criteria each stage assesses, as data with per-family overrides
``coverage``        which criteria no stage assesses, or only one interviewer
``promotions``      promotion targets and packet templates from the ladder's diff, the
                    packet's workflow and who may do what
``errors``          :class:`~pipelines.errors.PipelineError` and its subclasses; their
                    messages say why a request is refused, in words fit for the user
==================  =========================================================================

See ``pipelines/README.md`` for the rules and how the app calls them.
"""
