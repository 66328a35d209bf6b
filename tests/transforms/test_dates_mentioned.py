import datetime as dt
import re

import pytest

from transforms.dates_mentioned import DateMention, resolve_dates

FRIDAY = dt.date(2022, 2, 11)  # the AFP seed's date line


def _resolve(body, texts, published=FRIDAY):
    """Resolve the DATE spans `texts` (found left to right) → (text, value, resolution)."""
    spans, pos = [], 0
    for text in texts:
        start = body.index(text, pos)
        spans.append((start, start + len(text), text))
        pos = start + len(text)
    return [(d.text, d.value, d.resolution) for d in resolve_dates(body, spans, published)]


def test_the_seed_article():
    body = (
        "Defense chiefs held talks on Thursday. Russia rolled tanks across Belarus on Thursday. "
        "The war games are set to run until Feb. 20, some three decades after the collapse."
    )
    first, second, feb20, decades = body.index("Thursday"), body.rindex("Thursday"), body.index("Feb. 20"), body.index("some")
    spans = [
        (first, first + 8, "Thursday"),
        (second, second + 8, "Thursday"),
        (feb20, feb20 + 7, "Feb. 20"),
        (decades, decades + 18, "some three decades"),
    ]
    assert resolve_dates(body, spans, FRIDAY) == [
        DateMention(first, first + 8, "Thursday", "2022-02-10", "day", dt.date(2022, 2, 10), dt.date(2022, 2, 10)),
        DateMention(second, second + 8, "Thursday", "2022-02-10", "day", dt.date(2022, 2, 10), dt.date(2022, 2, 10)),
        DateMention(feb20, feb20 + 7, "Feb. 20", "2022-02-20", "day", dt.date(2022, 2, 20), dt.date(2022, 2, 20)),
    ]


def test_weekdays_look_back_unless_the_clause_speaks_of_the_future():
    body = "It hit on Friday. Storm Dudley came on Wednesday. Franklin could arrive on Sunday. They meet next Monday and met last Friday."
    assert _resolve(body, ["Friday", "Wednesday", "Sunday", "next Monday", "last Friday"]) == [
        ("Friday", "2022-02-11", "day"),  # the publication day itself
        ("Wednesday", "2022-02-09", "day"),
        ("Sunday", "2022-02-13", "day"),
        ("next Monday", "2022-02-14", "day"),
        ("last Friday", "2022-02-04", "day"),
    ]


def test_month_names_take_the_nearest_year_unless_told_otherwise():
    body = (
        "A summit in June; completed in September; since January; a test from December; last April; next February; in May 2021."
    )
    assert _resolve(body, ["June", "September", "January", "December", "last April", "next February", "May 2021"]) == [
        ("June", "2022-06", "month"),
        ("September", "2021-09", "month"),
        ("January", "2022-01", "month"),
        ("December", "2021-12", "month"),
        ("last April", "2021-04", "month"),
        ("next February", "2023-02", "month"),
        ("May 2021", "2021-05", "month"),
    ]


def test_relative_periods():
    body = "today, yesterday, this week, last week, next week, earlier this month, next month, last year, this weekend, two weeks ago, the end of the year"
    texts = [
        "today",
        "yesterday",
        "this week",
        "last week",
        "next week",
        "earlier this month",
        "next month",
        "last year",
        "this weekend",
        "two weeks ago",
        "the end of the year",
    ]
    assert _resolve(body, texts) == [
        ("today", "2022-02-11", "day"),
        ("yesterday", "2022-02-10", "day"),
        ("this week", "2022-02", "month"),
        ("last week", "2022", "year"),  # 31 January to 6 February: no month holds it
        ("next week", "2022-02", "month"),
        ("earlier this month", "2022-02", "month"),
        ("next month", "2022-03", "month"),
        ("last year", "2021", "year"),
        ("this weekend", "2022-02", "month"),
        ("two weeks ago", "2022-01", "month"),
        ("end of the year", "2022", "year"),
    ]


def test_a_week_keeps_its_days_in_the_range():
    (d,) = resolve_dates("They met last week.", [(9, 18, "last week")], dt.date(2022, 1, 18))
    assert (d.value, d.resolution, d.date_start, d.date_end) == ("2022-01", "month", dt.date(2022, 1, 10), dt.date(2022, 1, 16))
    # A week across two months has no month that holds it: the year does.
    (d,) = resolve_dates("They met last week.", [(9, 18, "last week")], dt.date(2022, 2, 9))
    assert (d.value, d.resolution, d.date_start, d.date_end) == ("2022", "year", dt.date(2022, 1, 31), dt.date(2022, 2, 6))


def test_absolute_dates_and_years():
    body = "in 2014, on 24 February 2022, on March 3, 2021, on 2022-02-24 and in February 2022"
    assert _resolve(body, ["2014", "24 February 2022", "March 3, 2021", "2022-02-24", "February 2022"], None) == [
        ("2014", "2014", "year"),
        ("24 February 2022", "2022-02-24", "day"),
        ("March 3, 2021", "2021-03-03", "day"),
        ("2022-02-24", "2022-02-24", "day"),
        ("February 2022", "2022-02", "month"),
    ]


def test_without_a_publication_date_relative_dates_are_dropped():
    body = "On Thursday, next month and in June, but in 2020."
    assert _resolve(body, ["Thursday", "next month", "June", "2020"], None) == [("2020", "2020", "year")]


def test_dates_inside_a_longer_span():
    body = "In the six months to September, surveyed between Feb. 14 and Feb. 25, 2022, on Saturdays and Sundays."
    texts = ["the six months to September", "between Feb. 14 and Feb. 25, 2022", "Saturdays and Sundays"]
    assert _resolve(body, texts, dt.date(2022, 11, 15)) == [
        ("September", "2022-09", "month"),
        ("Feb. 14", "2022-02-14", "day"),
        ("Feb. 25, 2022", "2022-02-25", "day"),
    ]


def test_spans_are_narrowed_to_the_expression():
    body = "Talks on Thursday, and Monday's meeting."
    got = resolve_dates(body, [(6, 17, "on Thursday"), (23, 31, "Monday's")], FRIDAY)
    assert [(d.char_start, d.char_end, d.text) for d in got] == [(9, 17, "Thursday"), (23, 29, "Monday")]


@pytest.mark.parametrize(
    "text",
    ["three decades", "eight years", "90-minute", "the end of", "Games", "Feb. 30", "may", "the 1990s", "", "   ", "2021-22"],
)
def test_not_dates(text):
    body = f"x {text} y"
    assert resolve_dates(body, [(2, 2 + len(text), text)], FRIDAY) == []


def test_nothing_in_nothing_out():
    assert resolve_dates("", [], FRIDAY) == []
    assert resolve_dates("", [], None) == []


THURSDAY = dt.date(2022, 2, 17)


def test_weekday_direction_follows_the_tense_of_its_sentence():
    body = (
        "Officials finalised the agenda for the Saturday visit to Munich, where Harris is expected to meet Zelenskiy. "
        "The White House said on Wednesday that Harris will meet Scholz on Sunday. "
        "Zelenskiy said on Saturday that he would decide at the last minute. "
        "Talks on Monday ended without agreement and the sides will meet again. "
        "On Tuesday, the ministers will sign the deal. "
        "The vote scheduled for Friday was moved."
    )
    texts = ["Saturday", "Wednesday", "Sunday", "Saturday", "Monday", "Tuesday", "Friday"]
    assert _resolve(body, texts, THURSDAY) == [
        ("Saturday", "2022-02-19", "day"),  # the coming one: `is expected to` later in the sentence
        ("Wednesday", "2022-02-16", "day"),  # `said on`
        ("Sunday", "2022-02-20", "day"),  # `will meet … on`
        ("Saturday", "2022-02-12", "day"),  # `said on`, though `would` follows
        ("Monday", "2022-02-14", "day"),  # `ended` comes before `will`
        ("Tuesday", "2022-02-22", "day"),  # `will sign` after it
        ("Friday", "2022-02-18", "day"),  # `scheduled for` plans ahead
    ]


def test_a_weekday_in_a_past_report_looks_back_whatever_the_report_says():
    body = (
        "Mr Putin said after Monday's meeting that some ideas could form a basis. "
        "Borrell told reporters on Tuesday, adding that talks would continue. "
        "Officials said on Wednesday they will meet again."
    )
    assert _resolve(body, ["Monday", "Tuesday", "Wednesday"], THURSDAY) == [
        ("Monday", "2022-02-14", "day"),
        ("Tuesday", "2022-02-15", "day"),
        ("Wednesday", "2022-02-16", "day"),
    ]


def test_weekday_without_any_tense_looks_back():
    assert _resolve("Protests on Monday in Minsk.", ["Monday"], THURSDAY) == [("Monday", "2022-02-14", "day")]


def test_this_weekday_is_the_coming_one_unless_the_sentence_is_past():
    body = "The match this Saturday in Munich. Police said the match this Monday was calm."
    assert _resolve(body, ["this Saturday", "this Monday"], THURSDAY) == [
        ("this Saturday", "2022-02-19", "day"),
        ("this Monday", "2022-02-14", "day"),
    ]


WEDNESDAY = dt.date(2022, 2, 2)


def test_words_ending_in_ed_that_are_no_past_verb_do_not_turn_a_weekday_back():
    body = (
        "Leeds United on Saturday will try to end their run. "
        "A hundred on Monday will march. "
        "Indeed on Tuesday the talks will resume. "
        "The teams are set for Friday. "
        "Police arrested him on Sunday."
    )
    assert _resolve(body, ["Saturday", "Monday", "Tuesday", "Friday", "Sunday"], WEDNESDAY) == [
        ("Saturday", "2022-02-05", "day"),
        ("Monday", "2022-02-07", "day"),
        ("Tuesday", "2022-02-08", "day"),
        ("Friday", "2022-02-04", "day"),
        ("Sunday", "2022-01-30", "day"),  # `arrested`: a past verb still looks back
    ]


# --- dates as papers outside the US/UK/EU write them (issue 12, session 10) ----------------


def test_numeric_dates_day_first_unless_only_month_first_fits():
    body = "Paid between 15/03/2021 and 30/06/2022; filed 05.03.2024; signed 07/25/2024."
    assert _resolve(body, ["15/03/2021", "30/06/2022", "05.03.2024", "07/25/2024"]) == [
        ("15/03/2021", "2021-03-15", "day"),
        ("30/06/2022", "2022-06-30", "day"),
        ("05.03.2024", "2024-03-05", "day"),
        ("07/25/2024", "2024-07-25", "day"),
    ]


def test_a_month_of_last_or_next_year():
    body = "The sixth cut since June last year; talks resume in March next year."
    assert _resolve(body, ["June last year", "March next year"], dt.date(2025, 1, 30)) == [
        ("June last year", "2024-06", "month"),
        ("March next year", "2026-03", "month"),
    ]


def test_a_year_inside_a_name_is_no_date():
    body = "Money was set aside in Budget 2024 under Saudi Vision 2030. In 2024 sales rose, as in January 2024."
    assert _resolve(body, ["2024", "2030", "2024", "January 2024"]) == [
        ("2024", "2024", "year"),
        ("January 2024", "2024-01", "month"),
    ]


def test_a_weekday_after_on_takes_the_tense_of_the_verb_it_modifies():
    body = "Eskom will receive R1.2bn after the regulator (Nersa) on Monday approved a tariff increase."
    assert _resolve(body, ["Monday"], dt.date(2024, 3, 5)) == [("Monday", "2024-03-04", "day")]


@pytest.mark.parametrize(
    ("body", "text", "published", "value"),
    [
        # Far from its nearest occurrence, the tense of the clause decides.
        ("KiwiRail carried 21.6 million passengers in the year to June.", "June", dt.date(2025, 1, 15), "2024-06"),
        ("Nurses get a pay rise backdated to April 1st.", "April 1st", dt.date(2024, 11, 28), "2024-04-01"),
        ("Flights would be added from December.", "December", dt.date(2024, 5, 9), "2024-12"),
        ("Wells would be drilled between April and September.", "September", dt.date(2025, 3, 31), "2025-09"),
        # Near it, the nearest one stays (`postponed` is past, the hearing is not).
        ("The case was postponed to 2nd December.", "2nd December", dt.date(2024, 10, 2), "2024-12-02"),
        ("Ministers announced savings in September.", "September", dt.date(2024, 11, 28), "2024-09"),
    ],
)
def test_a_month_far_from_publication_takes_the_tense_of_its_clause(body, text, published, value):
    assert [d[1] for d in _resolve(body, [text], published)] == [value]


def test_day_dates_the_model_missed_or_misread():
    from transforms.dates_mentioned import with_missed_dates

    body = "Credits start from Feb 1, were paid between 15/03/2021 and 30/06/2022, and Mr May 5 stays."
    feb = body.index("Feb 1")
    spans = [(feb, feb + 5, "LAW"), (body.index("Mr May"), body.index("Mr May") + 6, "PERSON")]
    found = [(body[s:e], label) for s, e, label in with_missed_dates(body, spans)]
    assert found == [("Feb 1", "DATE"), ("15/03/2021", "DATE"), ("30/06/2022", "DATE"), ("Mr May", "PERSON")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Voting begins on Saturday.", "2024-03-09"),
        ("The new rules take effect on Monday.", "2024-03-11"),
        ("City face Liverpool on Sunday.", "2024-03-10"),
        ("Nominations close on Friday.", "2024-03-08"),
        ("Voters go to the polls on Sunday.", "2024-03-10"),
        ("England need six wickets on Monday to win.", "2024-03-11"),
        ("The match kicks off at 3pm on Saturday.", "2024-03-09"),
        # A noun, or a past verb in the clause: the last one.
        ("He paid a visit on Monday.", "2024-03-04"),
        ("Police say the man who played on Saturday died.", "2024-03-02"),
        # After an object pronoun the verb is a bare infinitive: the tense is `let`'s, the past.
        ("Police let him go on Monday.", "2024-03-04"),
    ],
)
def test_a_timetable_in_the_present_tense_points_to_the_coming_weekday(body, expected):
    weekday = re.search(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday", body).group(0)
    assert [d[1] for d in _resolve(body, [weekday], dt.date(2024, 3, 7))] == [expected]


def test_a_year_after_a_sentence_closed_inside_quotes_or_brackets_is_a_date():
    # `In` and `The` open their sentence though a closing quote or bracket stands between
    # them and its period: the year after them is no part of a name.
    body = (
        '"People will live richer lives." In 2001, the government launched a plan. '
        '"They can count on me." The 1998 French Open champion is back. (Talks stalled.) Since 2003 nothing moved.'
    )
    assert _resolve(body, ["2001", "1998", "2003"]) == [
        ("2001", "2001", "year"),
        ("1998", "1998", "year"),
        ("2003", "2003", "year"),
    ]


def test_a_weekday_with_its_date_in_the_british_order_is_one_date():
    body = "A vote is scheduled for Tuesday 18 March, and figures are due on Wednesday, 26th March 2025."
    assert _resolve(body, ["Tuesday 18 March", "Wednesday, 26th March 2025"], dt.date(2025, 3, 12)) == [
        ("Tuesday 18 March", "2025-03-18", "day"),
        ("Wednesday, 26th March 2025", "2025-03-26", "day"),
    ]


@pytest.mark.parametrize(
    ("body", "text", "published", "value"),
    [
        # The nearest such day: this month's or the next month's.
        ("Reeves will give evidence on the 6th.", "the 6th", dt.date(2024, 10, 30), "2024-11-06"),
        ("The bill has its second reading on the 14th.", "the 14th", dt.date(2026, 1, 8), "2026-01-14"),
        ("Applications close on the 4th of April.", "the 4th of April", dt.date(2025, 3, 4), "2025-04-04"),
        # The tense decides when it points away from the nearest one.
        ("The deal was signed on the 5th.", "the 5th", dt.date(2025, 3, 3), "2025-02-05"),
        ("Talks will resume on the 28th.", "the 28th", dt.date(2025, 3, 3), "2025-03-28"),
    ],
)
def test_a_day_of_the_month_keeps_its_the(body, text, published, value):
    assert _resolve(body, ["on " + text], published) == [(text, value, "day")]


def test_days_the_model_put_in_time_or_ordinal_spans():
    from transforms.dates_mentioned import with_missed_dates

    body = "The area is cleared by Monday night, rebels meet tonight, talks end on the 6th. Offices on the 6th floor, at 8pm."
    spans = [
        (body.index("Monday night"), body.index("Monday night") + 12, "TIME"),
        (body.index("tonight"), body.index("tonight") + 7, "TIME"),
        (body.index("6th."), body.index("6th."), "ORDINAL"),
        (body.index("6th floor"), body.index("6th floor") + 3, "ORDINAL"),
        (body.index("8pm"), body.index("8pm") + 3, "TIME"),
    ]
    spans[2] = (spans[2][0], spans[2][0] + 3, "ORDINAL")
    found = [(body[s:e], label) for s, e, label in with_missed_dates(body, spans)]
    assert found == [("Monday", "DATE"), ("tonight", "DATE"), ("the 6th", "DATE"), ("6th", "ORDINAL"), ("8pm", "TIME")]
    # in capitals too, as the pattern reads it (`ON THE 6TH.`: the cheap test first must not skip it)
    caps = "TALKS END ON THE 6TH."
    start = caps.index("6TH")
    assert [(caps[s:e], label) for s, e, label in with_missed_dates(caps, [(start, start + 3, "ORDINAL")])] == [
        ("THE 6TH", "DATE")
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Whips expect Wednesday's vote to be close.", "2026-01-14"),
        ("Congress must pass the bills before Friday.", "2026-01-09"),
        # The dot of `Feb.` ends no clause: the `will` before it still speaks of the coming day.
        ("The company will pay 25 cents a share on Feb. 13 to holders of record on Monday.", "2026-01-12"),
    ],
)
def test_present_expectations_and_obligations_point_to_the_coming_weekday(body, expected):
    text = re.search(r"Monday|Wednesday|Friday", body).group(0)
    assert _resolve(body, [text], dt.date(2026, 1, 8))[-1] == (text, expected, "day")


def test_the_day_before_or_after_a_day_the_article_names():
    body = (
        "Rates were cut on Thursday and the next meeting is on March 20. Markets had priced in the cut the day before. "
        "On Tuesday, MPs approved the bill. The day before, ministers had met. Talks resume on Friday and the day after."
    )
    published = dt.date(2025, 2, 6)  # a Thursday
    spans = [
        (m.start(), m.end(), m.group(0))
        for m in re.finditer(r"Thursday|March 20|the day before|Tuesday|The day|Friday|the day after", body)
    ]
    found = [(d.text, d.value) for d in resolve_dates(body, spans, published)]
    assert found == [
        ("Thursday", "2025-02-06"),
        ("March 20", "2025-03-20"),
        ("the day before", "2025-02-05"),  # a past sentence: the day before the cut, not the meeting
        ("Tuesday", "2025-02-04"),
        ("The day before", "2025-02-03"),  # the model's `The day`, with its `before`
        ("Friday", "2025-02-07"),
        ("the day after", "2025-02-08"),  # future: after the last day named
    ]
    # Nothing named before it, or a day told from a noun (`the day before the Oscars`): no date.
    assert _resolve("The day before, he left.", ["The day before"], published) == []
    body = "The awards are held on 26 February, the day before the Oscars."
    assert _resolve(body, ["26 February", "the day before"], published) == [("26 February", "2025-02-26", "day")]


def test_the_next_day_before_its_clauses_subject_is_a_day():
    # `the next day`, `the following day`, `a day later` take no object: a subject after them
    # starts their clause (`The next day his deputy quit`); only `the day before`/`after`
    # can be told from a noun (`the day before the Oscars`), and `than` compares (no date).
    published = dt.date(2025, 3, 20)
    body = "He resigned on 14 March. The next day his deputy quit, and the following day the party split."
    assert _resolve(body, ["14 March", "The next day", "the following day"], published) == [
        ("14 March", "2025-03-14", "day"),
        ("The next day", "2025-03-15", "day"),
        ("the following day", "2025-03-16", "day"),
    ]
    body = "He resigned on 14 March. A day later the deputy quit; the vote came a day earlier than planned."
    assert _resolve(body, ["14 March", "A day later", "a day earlier"], published) == [
        ("14 March", "2025-03-14", "day"),
        ("A day later", "2025-03-15", "day"),
    ]


def test_late_next_year_and_fiscal_years():
    body = "Output rises by late next year; the bills for fiscal 2026 and FY2025 pass in 2026."
    assert _resolve(body, ["late next year", "fiscal 2026", "2025", "2026"], dt.date(2025, 3, 5)) == [
        ("late next year", "2026", "year"),
        ("2026", "2026", "year"),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A deadline is still to come.
        ("The union has called on managers to recall the notice by midday on Monday.", "2005-03-21"),
        ("Radcliffe has a decision to make by Tuesday.", "2005-03-22"),
        # ... but not a time reached in the past.
        ("Shares were up 5% by noon on Monday.", "2005-03-14"),
        # `ahead of` after a past perfect, and a past perfect before the day: the past.
        ("Growth topped the rate economists had forecast ahead of Friday's announcement.", "2005-03-11"),
        ("Rowling revealed she had completed the novel on Tuesday, ahead of the announcement.", "2005-03-15"),
        # `ahead of` after a simple past describing today: still the coming day.
        ("BP was flat at 451p ahead of Friday's trading update.", "2005-03-18"),
    ],
)
def test_deadlines_and_past_perfects_decide_a_weekday(body, expected):
    text = re.search(r"Monday|Tuesday|Friday", body).group(0)
    assert _resolve(body, [text], dt.date(2005, 3, 16)) == [(text, expected, "day")]


# --- issue 12, session 12 (bench/dev_dates3) ----------------------------------------------
WEDNESDAY_2025 = dt.date(2025, 11, 12)


def test_a_weekday_and_the_date_after_it_are_one_date_even_over_two_model_spans():
    body = "The sultan declared a holiday on Thursday, 20 November and Friday, 21 November. Work resumes on Sunday, 23 November."
    # the model's spans: `Thursday`, `20 November and Friday`, `21 November`, `Sunday`, `23 November`
    assert _resolve(body, ["Thursday", "20 November and Friday", "21 November", "Sunday", "23 November"], WEDNESDAY_2025) == [
        ("Thursday, 20 November", "2025-11-20", "day"),
        ("Friday, 21 November", "2025-11-21", "day"),
        ("Sunday, 23 November", "2025-11-23", "day"),
    ]


def test_this_morning_is_the_publication_day():
    body = "The director said this morning that schools would close."
    assert _resolve(body, ["this morning"], WEDNESDAY_2025) == [("this morning", "2025-11-12", "day")]


def test_days_inside_time_spans_with_a_clock_time_or_the_early_hours():
    from transforms.dates_mentioned import with_missed_dates

    body = "Counting continued into the early hours of this morning after polling closed at 4pm yesterday."
    spans = [
        (body.index("the early"), body.index(" after"), "TIME"),
        (body.index("4pm"), body.index("yesterday") + len("yesterday"), "TIME"),
    ]
    assert [(body[s:e], label) for s, e, label in with_missed_dates(body, spans)] == [
        ("this morning", "DATE"),
        ("yesterday", "DATE"),
    ]


@pytest.mark.parametrize(
    ("body", "text", "expected"),
    [
        # a present passive is no past: the clause after it speaks of the future
        ("If the crescent moon is sighted on Saturday, Eid will fall on Sunday.", "Saturday", "2025-11-15"),
        ("The moon was sighted on Saturday, the council said.", "Saturday", "2025-11-08"),
        # a timetable: `follows on`, and a timetable verb right after `on Monday`
        ("Foreday Morning Jam follows on Saturday.", "Saturday", "2025-11-15"),
        ("Grand Kadooment on Monday closes the festival.", "Monday", "2025-11-17"),
        ("The cabinet on Monday approved the plan.", "Monday", "2025-11-10"),
    ],
)
def test_weekday_tense_present_passive_and_timetables(body, text, expected):
    assert _resolve(body, [text], WEDNESDAY_2025) == [(text, expected, "day")]


def test_a_relative_day_inside_a_longer_span():
    body = "President Ilham Aliyev will address the plenary tomorrow."
    assert _resolve(body, ["the plenary tomorrow"], WEDNESDAY_2025) == [("tomorrow", "2025-11-13", "day")]


def test_an_entity_that_is_only_a_day_date_is_a_date_whatever_its_label():
    from transforms.dates_mentioned import with_missed_dates

    body = "It will be launched on 3rd September, ahead of Independence Day on 9 September, says the June 4th Movement."
    spans = [
        (body.index("3rd"), body.index("3rd") + 13, "FAC"),
        (body.index("Independence"), body.index("Independence") + 16, "EVENT"),
        (body.index("9 Sep"), body.index("9 Sep") + 11, "EVENT"),
        (body.index("the June"), body.index("Movement") + 8, "ORG"),
    ]
    assert [(body[s:e], label) for s, e, label in with_missed_dates(body, spans)] == [
        ("3rd September", "DATE"),
        ("Independence Day", "EVENT"),
        ("9 September", "DATE"),
        ("the June 4th Movement", "ORG"),
    ]
