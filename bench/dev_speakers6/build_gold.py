"""Writes gold.json for bench/dev_speakers6 (annotated by hand before any scoring)."""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

GOLD = {
    "a01_court_fraud_trial.txt": (
        "2025-02-04",
        [
            ("built a house of cards and then sold tickets to it", "Rebecca Harlow"),
            ("The defendant knew by the spring of 2019 that the fund was insolvent", "Rebecca Harlow"),
            ("He did not tell his investors. He told them the opposite.", "Rebecca Harlow"),
            ("I trusted him completely", "Alison Trent"),
            ("He came to my house and drank my tea.", "Alison Trent"),
            ("Not in those words, no.", "Alison Trent"),
            ("You decide this case on the evidence you hear in this room", "Sarah Whitcombe"),
        ],
    ),
    "a02_sport_postmatch_two_managers.txt": (
        "2025-03-17",
        [
            ("as close to perfect as we have been this season", "Eddie Howe"),
            ("The intensity from the first minute was outstanding", "Eddie Howe"),
            ("We pressed as a team, we defended as a team.", "Eddie Howe"),
            ("We had three big chances before half-time and we didn't score", "Oliver Glasner"),
            ("At this level you get punished.", "Oliver Glasner"),
            ("The goals are for everyone", "Alexander Isak"),
            ("Bruno found me twice with passes nobody else sees.", "Alexander Isak"),
            ("Dean has saved us many points this year", "Oliver Glasner"),
            ("I will not point a finger at him.", "Oliver Glasner"),
            ("We're not looking at the table", "Eddie Howe"),
            ("Honestly.", "Eddie Howe"),
        ],
    ),
    "a03_parliament_debate.txt": (
        "2024-10-23",
        [
            ("breaking its promises to working people", "Kemi Badenoch"),
            ("The Chancellor promised not to raise taxes on working people.", "Kemi Badenoch"),
            ("Every family in this country now knows that was not true.", "Kemi Badenoch"),
            ("a £22bn black hole", "Keir Starmer"),
            ("We are fixing the foundations they broke", "Keir Starmer"),
            ("Will the Prime Minister meet the families who cannot find a bed", "Ed Davey"),
            ("I will meet them, and I will meet them this month", "Keir Starmer"),
            ("pure theatre", "Rosie Duffield"),
            ("Nobody outside this building was impressed", "Rosie Duffield"),
        ],
    ),
    "a04_interview_qa_novelist.txt": (
        "2024-06-09",
        [
            ("I write to find out what I think", "Amara Nwosu"),
            ("I didn't plan it that way.", "Amara Nwosu"),
            ("Never. I write to find out what I think.", "Amara Nwosu"),
            ("She read everything.", "Amara Nwosu"),
            ("She sent me the last version at four in the morning", "Louisa Joyner"),
            ("Sleep", "Amara Nwosu"),
            ("And then, probably, another book I haven't planned.", "Amara Nwosu"),
        ],
    ),
    "a05_wire_many_short_quotes.txt": (
        "2025-01-13",
        [
            ("There is no threat of a tsunami", ["Japan Meteorological Agency", "JMA"]),
            ("We are checking for damage", "Yoshimasa Hayashi"),
            ("No abnormalities have been detected", "Kyushu Electric Power"),
            ("The shelves fell over but nobody was hurt", "Kenji Arakawa"),
            ("Safety checks are under way", "JR Kyushu"),
        ],
    ),
    "a06_feature_three_women.txt": (
        "2025-05-02",
        [
            ("We are one sick day away from closing", "Sian Pritchard"),
            ("We've been one sick day away for five years", "Megan Lloyd"),
            ("We always find a way.", "Megan Lloyd"),
            ("The women here talk to me as if I grew up next door", "Chloe Baptiste"),
            ("I didn't expect that.", "Chloe Baptiste"),
            ("We had a tea rota with eleven names on it", "Sian Pritchard"),
            ("Now we don't have time for tea.", "Sian Pritchard"),
            ("remains a valued part of our maternity services", ["health board", "The health board"]),
            ("If they close it, they'll have to carry me out", "Megan Lloyd"),
        ],
    ),
    "a07_colon_according_to.txt": (
        "2024-12-13",
        [
            ("German industry is facing not only cyclical headwinds", "Joachim Nagel"),
            ("the economy will only slowly regain its footing in 2025.", "Joachim Nagel"),
            ("Blocking investment now is blocking the future.", "Robert Habeck"),
            ("Lower energy prices, and quickly.", ["Federation of German Industries", "BDI"]),
            ("We think even 0.2% may be too optimistic.", "Jörg Krämer"),
            ("risks to the outlook are tilted to the downside.", ["Bundesbank", "Germany's central bank"]),
        ],
    ),
    "a08_wrote_on_x_statements.txt": (
        "2024-07-12",
        [
            ("illegal secret deal", "Elon Musk"),
            ("The European Commission offered X an illegal secret deal", "Elon Musk"),
            ("There has never been any", "Thierry Breton"),
            ("based on a thorough investigation", "European Commission"),
            ("defend our business and our users", ["X", "X's Global Government Affairs team"]),
            ("This is the first real test of the Digital Services Act", "Jan Penfrat"),
        ],
    ),
    "a09_speaker_after_long_quote.txt": (
        "2025-01-08",
        [
            ("decades behind", "Alan Lovell"),
            ("We have built our defences for the climate of the last century", "Alan Lovell"),
            ("I have lived in this house for forty years", "Doreen Fields"),
            ("Everyone in this town knows someone who has been flooded out", "Stephen Mills"),
            ("We are accelerating delivery", ["Department for Environment, Food and Rural Affairs", "Defra"]),
        ],
    ),
    "a10_nested_quotes.txt": (
        "2024-11-21",
        [
            ("We are processing money we cannot explain", "Miriam Adeyemi"),
            ("Each time the answer was the same", "Miriam Adeyemi"),
            ("I have no recollection of saying", "Graham Pell"),
            ("deeply troubling", "Meg Hillier"),
            ("this committee listens", "Meg Hillier"),
        ],
    ),
    "a11_quote_across_paragraphs.txt": (
        "2024-08-30",
        [
            ("We could hear them tapping", "Laura Velázquez"),
            ("At about three in the morning we heard tapping on the pipe.", "Laura Velázquez"),
            ("We tapped back three times.", "Laura Velázquez"),
            ("I will not leave until he walks out of there", "Rosa Elena Márquez"),
            ("Our priority is the safe return of the workers", "Grupo Minero del Norte"),
        ],
    ),
    "a12_kremlin_ministry_roles.txt": (
        "2025-03-06",
        [
            ("This will require a response from us", "Dmitry Peskov"),
            ("Nobody should be under any illusions.", "Dmitry Peskov"),
            ("a provocation", ["Russia's foreign ministry", "foreign ministry", "Russian Foreign Ministry"]),
            ("Helsinki has chosen confrontation", ["Russia's foreign ministry", "foreign ministry", "Russian Foreign Ministry"]),
            ("Finland decides who is on Finnish soil", "Alexander Stubb"),
            ("This is defence, not provocation", "Antti Häkkänen"),
            ("watching very closely", ["Kremlin", "The Kremlin"]),
        ],
    ),
    "a13_two_men_pronouns_tennis.txt": (
        "2025-07-13",
        [
            ("It's the best match I have ever played on grass", "Jannik Sinner"),
            ("Carlos pushed me to a place I didn't know I had.", "Jannik Sinner"),
            ("He deserved it today", "Carlos Alcaraz"),
            ("I'm proud of the fight.", "Carlos Alcaraz"),
            ("Of course it hurts. I'm human.", "Carlos Alcaraz"),
            ("We practised at midday all week", "Jannik Sinner"),
            ("Jannik has been building towards this since he was 19", "Darren Cahill"),
        ],
    ),
    "a14_coach_and_player_titles.txt": (
        "2025-03-12",
        [
            ("The players have earned the right to go again", "Simon Easterby"),
            ("This group has been outstanding.", "Simon Easterby"),
            ("France are the best attacking side in the world", "Caelan Doris"),
            ("We have to be perfect.", "Caelan Doris"),
            ("fully fit", "Jack Crowley"),
            ("I trained fully on Tuesday and Wednesday", "Jack Crowley"),
            ("We come to Dublin to play, not to defend", "Fabien Galthié"),
        ],
    ),
    "a15_told_reporters_short_quotes.txt": (
        "2025-03-14",
        [
            ("We will not be taken advantage of", "Donald Trump"),
            ("ready for a long fight", "Howard Lutnick"),
            ("We have the leverage", "Howard Lutnick"),
            ("respond firmly and proportionately", "Maroš Šefčovič"),
            ("We remain open to negotiation", "Maroš Šefčovič"),
            ("This would be a catastrophe for us", "Gabriel Picard"),
            ("A trade war helps nobody", "Giorgia Meloni"),
        ],
    ),
    "a16_feature_two_men_same_role.txt": (
        "2024-09-19",
        [
            ("The quota system has turned neighbours into rivals", "Alasdair MacLeod"),
            ("I bought my quota. I paid for it with thirty years of work", "Iain Morrison"),
            ("He took their money", "Alasdair MacLeod"),
            ("I won't.", "Alasdair MacLeod"),
            ("Alasdair would have done the same if they'd asked him", "Iain Morrison"),
            ("They didn't ask him.", "Iain Morrison"),
            ("reviewing the allocation of fishing opportunities", ["Scottish government", "The Scottish government"]),
            ("The sea doesn't care who owns the quota", "Iain Morrison"),
        ],
    ),
    "a17_cricket_captain_34_year_old.txt": (
        "2024-08-22",
        [
            ("When you walk out at 45 for four, you don't think about hundreds", "Joe Root"),
            ("You think about the next ball.", "Joe Root"),
            ("He makes it look like a net session", "Ollie Pope"),
            ("The rest of us were watching with our hands over our faces.", "Ollie Pope"),
            ("We had them where we wanted them and then we bowled too short", "Asitha Fernando"),
            ("Tomorrow is a new day and this pitch will do a bit", "Dhananjaya de Silva"),
            ("Just watch the ball and smile", "Gus Atkinson"),
            ("So I did.", "Gus Atkinson"),
        ],
    ),
    "a18_police_court_appearance.txt": (
        "2024-10-03",
        [
            ("We know the seafront was busy and we believe many people saw what happened", "Hannah Okoro"),
            ("If you filmed anything on your phone, please get in touch", "Hannah Okoro"),
            ("It all happened so fast", None),
            ("shocked", "Bella Sankey"),
            ("Our seafront is a place for everyone", "Bella Sankey"),
        ],
    ),
    "a19_company_results_cfo.txt": (
        "2024-07-25",
        [
            ("gaining pace", "Hein Schumacher"),
            ("We are doing fewer things, better, and with greater impact", "Hein Schumacher"),
            ("Gross margin is up 280 basis points. We see more to come", "Fernando Fernandez"),
            ("a clean beat", "Jefferies"),
            ("Volumes are finally doing the heavy lifting", "Martin Deboo"),
            ("Our balance sheet is strong", "Unilever"),
        ],
    ),
    "a20_feature_alternating_two_women.txt": (
        "2024-08-03",
        [
            ("Everyone told us to sell", "Aoife Gallagher"),
            ("The bank told us to sell. Our uncle told us to sell.", "Aoife Gallagher"),
            ("I'd been to Glastonbury", "Niamh Gallagher"),
            ("I thought, we have fields. Why not?", "Niamh Gallagher"),
            ("We lost money", "Aoife Gallagher"),
            ("But nobody asked for a refund.", "Aoife Gallagher"),
            ("It rained for three days. We had people sleeping in the milking parlour", "Niamh Gallagher"),
            ("now one of the most important dates in the county's calendar", "Leitrim County Council"),
            ("Every single day", "Niamh Gallagher"),
        ],
    ),
}


def main() -> None:
    gold = {
        name: {
            "scope": "speakers",
            "published_date": date,
            "quotes": [{"quote": q, "speaker": s} for q, s in quotes],
        }
        for name, (date, quotes) in GOLD.items()
    }
    missing = set(GOLD) ^ {p.name for p in (HERE / "articles").glob("*.txt")}
    assert not missing, missing
    for name, entry in gold.items():
        text = (HERE / "articles" / name).read_text(encoding="utf-8")
        for q in entry["quotes"]:
            assert q["quote"] in text, (name, q["quote"])
    (HERE / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
