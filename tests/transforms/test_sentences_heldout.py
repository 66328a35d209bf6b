"""Held-out news cases for the sentence splitter (issue 13).

Written before the splitter's rules were tuned and not looked at while tuning them, so
their score is evidence where the development cases in test_sentences.py are not. Do not
tune the splitter on these: add new development cases to test_sentences.py instead, and
write a fresh held-out set if these have been used up.

    .venv/bin/python tests/transforms/test_sentences_heldout.py      # prints the score

The test asserts the score measured when the set was first used (see FLOOR), so a change
that loses held-out cases fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from transforms.sentences import split_sentences

HELDOUT = [
    (
        "WASHINGTON (Reuters) - U.S. Treasury Secretary Janet Yellen said on Tuesday the economy was strong. "
        "She spoke at a conference in New York.",
        [
            "WASHINGTON (Reuters) - U.S. Treasury Secretary Janet Yellen said on Tuesday the economy was strong.",
            "She spoke at a conference in New York.",
        ],
    ),
    (
        "The company, based in Austin, Texas, reported revenue of $4.2 billion. That beat forecasts of $3.9 billion.",
        ["The company, based in Austin, Texas, reported revenue of $4.2 billion.", "That beat forecasts of $3.9 billion."],
    ),
    (
        "Shares of Acme Corp. fell 3.2% to $41.50. The stock has lost a third of its value this year.",
        ["Shares of Acme Corp. fell 3.2% to $41.50.", "The stock has lost a third of its value this year."],
    ),
    (
        '"We will not back down," said Sen. Elizabeth Warren, D-Mass. "This fight is far from over."',
        ['"We will not back down," said Sen. Elizabeth Warren, D-Mass.', '"This fight is far from over."'],
    ),
    (
        "The vote is scheduled for 10 a.m. EST on Thursday, officials said. It is expected to pass.",
        ["The vote is scheduled for 10 a.m. EST on Thursday, officials said.", "It is expected to pass."],
    ),
    (
        "The merger was approved by the board of Smith & Co. The deal closes in March.",
        ["The merger was approved by the board of Smith & Co.", "The deal closes in March."],
    ),
    (
        "He was born in Washington, D.C. He moved to Chicago in 1990.",
        ["He was born in Washington, D.C.", "He moved to Chicago in 1990."],
    ),
    (
        "Police said the suspect, identified as John Q. Public, 34, was arrested at 11:30 p.m. He was charged with burglary.",
        [
            "Police said the suspect, identified as John Q. Public, 34, was arrested at 11:30 p.m.",
            "He was charged with burglary.",
        ],
    ),
    (
        "The plant produces 1,200 tonnes a day. Output rose 4.5 per cent in the third quarter.",
        ["The plant produces 1,200 tonnes a day.", "Output rose 4.5 per cent in the third quarter."],
    ),
    (
        "Dr. Anthony Fauci, director of the National Institute of Allergy and Infectious Diseases, testified before "
        "the Senate. Lawmakers questioned him for three hours.",
        [
            "Dr. Anthony Fauci, director of the National Institute of Allergy and Infectious Diseases, testified before the Senate.",
            "Lawmakers questioned him for three hours.",
        ],
    ),
    (
        "The index closed at 3,456.78. Analysts expect further gains next week.",
        ["The index closed at 3,456.78.", "Analysts expect further gains next week."],
    ),
    (
        "The report was written by F. Scott Fitzgerald's biographer, A. J. Berg. It runs to 600 pages.",
        ["The report was written by F. Scott Fitzgerald's biographer, A. J. Berg.", "It runs to 600 pages."],
    ),
    (
        "MOSCOW, March 3 (AP) — Russian troops shelled the city overnight, the mayor said. At least 12 people were killed.",
        ["MOSCOW, March 3 (AP) — Russian troops shelled the city overnight, the mayor said.", "At least 12 people were killed."],
    ),
    (
        "The U.N. Security Council will meet on Friday. Diplomats said a resolution was unlikely.",
        ["The U.N. Security Council will meet on Friday.", "Diplomats said a resolution was unlikely."],
    ),
    (
        'He asked: "Where is the money?" Nobody answered.',
        ['He asked: "Where is the money?"', "Nobody answered."],
    ),
    (
        "The group, which includes Pfizer Inc. and Merck & Co., will invest $2 billion. It did not give a timeline.",
        ["The group, which includes Pfizer Inc. and Merck & Co., will invest $2 billion.", "It did not give a timeline."],
    ),
    (
        "Brent crude rose 1.2% to $84.10 a barrel by 0930 GMT. U.S. West Texas Intermediate crude gained 1.1%.",
        ["Brent crude rose 1.2% to $84.10 a barrel by 0930 GMT.", "U.S. West Texas Intermediate crude gained 1.1%."],
    ),
    (
        "Ms. Johnson declined to comment. Her lawyer, Robert S. Mueller III, did not return calls.",
        ["Ms. Johnson declined to comment.", "Her lawyer, Robert S. Mueller III, did not return calls."],
    ),
    (
        "The meeting ended at 4 p.m. The two sides will meet again next month.",
        ["The meeting ended at 4 p.m.", "The two sides will meet again next month."],
    ),
    (
        "Sales in the U.K. were flat. In Germany, they fell 2%.",
        ["Sales in the U.K. were flat.", "In Germany, they fell 2%."],
    ),
    (
        "The ship was carrying 300 passengers and crew when it sank off St. Kitts. Rescuers pulled 250 people from the water.",
        [
            "The ship was carrying 300 passengers and crew when it sank off St. Kitts.",
            "Rescuers pulled 250 people from the water.",
        ],
    ),
    (
        'He said the talks were "constructive." The next round is set for Geneva.',
        ['He said the talks were "constructive."', "The next round is set for Geneva."],
    ),
    (
        "Gov. Gavin Newsom signed the bill on Friday. It takes effect Jan. 1.",
        ["Gov. Gavin Newsom signed the bill on Friday.", "It takes effect Jan. 1."],
    ),
    (
        "The company was founded in 1998 by two Stanford Ph.D. students. It went public in 2004.",
        ["The company was founded in 1998 by two Stanford Ph.D. students.", "It went public in 2004."],
    ),
    (
        "The fund lost money in the U.S. But it gained in Asia, the firm said.",
        ["The fund lost money in the U.S.", "But it gained in Asia, the firm said."],
    ),
    (
        "Trading was halted at 2:15 p.m. Eastern time after the shares fell 10 percent.",
        ["Trading was halted at 2:15 p.m. Eastern time after the shares fell 10 percent."],
    ),
]

# Cases right when this set was first scored against the tuned splitter (26/26; the splitter
# before issue 13 got 20/26). See bench/RESULTS.md.
FLOOR = 26


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def score() -> tuple[int, list[str]]:
    wrong = [text for text, expected in HELDOUT if _split(text) != expected]
    return len(HELDOUT) - len(wrong), wrong


def test_heldout_news_score_does_not_drop():
    right, wrong = score()
    assert right >= FLOOR, f"{right}/{len(HELDOUT)} held-out cases right (floor {FLOOR}); wrong: {wrong}"


if __name__ == "__main__":
    right, wrong = score()
    print(f"held-out news: {right}/{len(HELDOUT)}")
    if "-v" in sys.argv:
        for text in wrong:
            print("  wrong:", text)
