"""Writes docs.jsonl, metadata.jsonl and sents.jsonl of this folder: a small corpus in the
IndiaPoliceEvents layout (Halterman, Keith, Sarwar, O'Connor, Findings of ACL 2021) whose
articles were written for Dateline's tests (invented events and people; real place names).

Like the real corpus the text is lower-cased, some articles open with "This story is from
<date>", some end with the page's share buttons, some quotes carry mojibake of a bad encoding
round-trip, and each sentence is labelled with the police actions it reports: KILL (police
killed), ARREST, FORCE (police used force), FAIL (police failed to act), ANY_ACTION.

``python tests/data/india-police-events/make.py`` rewrites the three files.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
K, A, F, X, N = "KILL", "ARREST", "FORCE", "FAIL", "ANY_ACTION"
SHARE = [("Facebook", ()), ("Twitter Linkedin Mail", ())]

# (doc_id, date, url slug, opens with "This story is from", [(sentence, labels)])
DOCS: list[tuple[int, str, str, bool, list[tuple[str, tuple[str, ...]]]]] = [
    (11, "2002-03-10", "lucknow/farmers-seek-tariff-review", True, [
        ("This story is from March 10, 2002\n\n", ()),
        ("lucknow:", ()),
        ("the state unit of the bharatiya kisan sangh has sought a review of the new power "
         "tariff for tube wells in the districts of eastern uttar pradesh.", ()),
        ("at a meeting held on saturday, sangh convenor ramesh tiwari said that the so-called "
         "â€˜flat rateâ€™ scheme would hurt small farmers the most.", ()),
        ("â€œwe demand that the old tariff be restored before the sowing season,â€� he said.", ()),
        ("about 80 members from district units, including gorakhpur and ballia, took part in "
         "the meeting.", ()),
        ("the members also discussed the delay in the payment of sugarcane dues by private "
         "mills.", ()),
        ("the sangh will write to the chief minister and the energy minister next week.", ()),
        ("tiwari said the union would hold a sit-in at the district headquarters if no reply "
         "came within a month.", ()),
        ("the power corporation has said the new tariff covers only a part of its costs.", ()),
        ("officials of the corporation were not available for comment on sunday.", ()),
        ("the opposition parties have backed the demand of the farmers.", ()),
        ("a delegation of the samajwadi party met the governor on the issue last week.", ()),
        ("the governor assured them that the matter would be looked into.", ()),
        ("the meeting ended with a vote of thanks.", ()),
        *SHARE,
    ]),
    (609, "2002-03-10", "india/probe-demanded-into-firing", False, [
        ("kolkata: a farmers' group on sunday demanded a judicial inquiry into the police firing "
         "at a village market in nadia district in which one man was killed.", (K, F, N)),
        ("the group in a statement demanded action against the officers and compensation for "
         "the family of the dead man.", ()),
        ("police said one person was killed and 12 others, including four constables, were "
         "injured when they opened fire on a crowd that had set a van on fire.", (K, F, N)),
        ("describing the firing as â€œuncalled forâ€� a spokesman of the group said the crowd "
         "had gathered only to protest against the rise in market fees.", (F, N)),
        ("however, the police maintained that they had asked the crowd to leave several "
         "times.", (N,)),
        ("the spokesman said that about 2,000 people were at the market when the police moved "
         "in with sticks and that 20 of them were taken to hospital.", (F, N)),
        ("he said a protest was also held at krishnanagar on saturday and 40 people were "
         "arrested there.", (N, A)),
        ("the group said it would hold meetings in every block of the district next week.", ()),
        *SHARE,
    ]),
    (1201, "2002-03-01", "city/ahmedabad/curfew-in-walled-city", False, [
        ("ahmedabad: police arrested 35 people in the walled city on thursday after groups "
         "clashed near the old market.", (A, N)),
        ("the police burst tear gas shells to disperse the mobs at two places.", (F, N)),
        ("curfew was imposed in the areas under five police stations.", (N,)),
        ("officials said that three shops and a handcart were set on fire.", ()),
        ("the city police commissioner said the situation was under control by the evening.",
         ()),
        ("more policemen were sent to the area from gandhinagar.", (N,)),
    ]),
    (1202, "2002-03-01", "city/vadodara/mob-burns-shops", True, [
        ("This story is from March 1, 2002\n\n", ()),
        ("vadodara: a mob set fire to six shops in the panigate area on thursday night while "
         "the police looked on.", (X, N)),
        ("residents said that the police did nothing to stop the mob for nearly an hour.",
         (X, N)),
        ("later the police fired in the air and lobbed tear gas shells to disperse the "
         "crowd.", (F, N)),
        ("eleven people were arrested on friday morning.", (A, N)),
        ("the fire brigade took three hours to put out the fire.", ()),
        ("traders of the area have demanded compensation from the state government.", ()),
        *SHARE,
    ]),
    (1203, "2002-03-02", "city/rajkot/bandh-peaceful", False, [
        ("rajkot: the bandh called by traders passed off peacefully in rajkot on friday.", ()),
        ("shops and markets remained closed and buses stayed off the roads.", ()),
        ("police said no untoward incident was reported from any part of the city.", ()),
        ("schools and colleges were also closed for the day.", ()),
        ("the traders said the bandh was a protest against the new octroi rates.", ()),
        ("the municipal commissioner has called a meeting with the traders on monday.", ()),
    ]),
    (1204, "2002-03-02", "city/surat/police-arrest-looters", False, [
        ("surat: the police arrested 18 people for looting shops in the textile market on "
         "friday night.", (A, N)),
        ("police said the men were caught with bales of cloth and two hand carts.", (N,)),
        ("the arrested men were produced before a magistrate on saturday and remanded to "
         "police custody.", (A, N)),
        ("the market association said goods worth several lakh rupees had been taken.", ()),
        ("patrolling has been stepped up in the area, the police commissioner said.", (N,)),
    ]),
    (1205, "2002-03-02", "city/ahmedabad/stone-pelting-in-bapunagar", True, [
        ("This story is from March 2, 2002\n\n", ()),
        ("ahmedabad: two people were injured in stone pelting at bapunagar on friday "
         "afternoon.", ()),
        ("the police resorted to a lathi-charge to disperse the groups.", (F, N)),
        ("police arrested seven youths from the spot.", (A, N)),
        ("the injured were taken to the civil hospital.", ()),
        ("a police picket has been posted near the mosque and the temple of the area.", (N,)),
        ("residents said the trouble began over a dispute between two vendors.", ()),
        *SHARE,
    ]),
    (1206, "2002-03-03", "city/godhra/relief-camps", False, [
        ("godhra: more than 3,000 people have taken shelter in four relief camps in the "
         "town.", ()),
        ("the district collector said food grains and blankets were being sent to the "
         "camps.", ()),
        ("volunteers of several groups are running kitchens at the camps.", ()),
        ("a team of doctors visited the camps on saturday.", ()),
        ("the collector said that the camps would remain open as long as needed.", ()),
        ("the police have posted guards at each of the camps.", (N,)),
    ]),
    (1207, "2002-03-03", "city/ahmedabad/firing-at-naroda", False, [
        ("ahmedabad: two men were killed when the police opened fire on a mob at naroda on "
         "saturday.", (K, F, N)),
        ("police said the mob had attacked a police van with stones and petrol bombs.", ()),
        ("the police first used tear gas and then fired 12 rounds.", (F, N)),
        ("nine people were arrested and a case of rioting was registered.", (A, N)),
        ("the state home minister said an inquiry would be held into the firing.", ()),
        ("the bodies were handed over to the families after a post-mortem.", ()),
        *SHARE,
    ]),
    (1208, "2002-03-03", "city/mumbai/rally-called-off", True, [
        ("This story is from March 3, 2002\n\n", ()),
        ("mumbai: a rally planned by student groups at azad maidan was called off on "
         "saturday.", ()),
        ("the organisers said that the police had refused permission for the rally.", (N,)),
        ("about 200 students gathered at the maidan in the afternoon and left after an "
         "hour.", ()),
        ("police said no one was detained.", ()),
        ("the students will meet the vice-chancellor on monday.", ()),
    ]),
    (1209, "2002-03-04", "city/ahmedabad/police-inaction-alleged", False, [
        ("ahmedabad: residents of gulbarg society have alleged that the police failed to "
         "respond to their calls for help for several hours.", (X, N)),
        ("a resident said that the police stood by as the mob burnt houses.", (X, N)),
        ("the city police commissioner denied the charge and said the force had been "
         "stretched thin.", ()),
        ("he said 50 people had been arrested from the area so far.", (A, N)),
        ("the opposition has demanded a judicial probe into police inaction.", (X, N)),
        ("the national human rights commission has sought a report from the state.", ()),
        *SHARE,
    ]),
    (1210, "2002-03-04", "city/vadodara/flag-march", False, [
        ("vadodara: the army staged a flag march in the old city on sunday.", ()),
        ("the police arrested 22 people for breaking curfew.", (A, N)),
        ("the curfew was relaxed for four hours in the afternoon to let people buy milk and "
         "vegetables.", (N,)),
        ("long queues were seen outside ration shops.", ()),
        ("the collector said the curfew would be reviewed on monday.", ()),
    ]),
    (1211, "2002-03-04", "city/bhavnagar/youths-held", True, [
        ("This story is from March 4, 2002\n\n", ()),
        ("bhavnagar: the police arrested four youths for spreading rumours through pamphlets "
         "on sunday.", (A, N)),
        ("police said the pamphlets had claimed that a temple had been attacked.", ()),
        ("the superintendent of police appealed to people not to believe rumours.", ()),
        ("a peace committee meeting was held at the collector's office.", ()),
        ("leaders of both communities attended the meeting.", ()),
    ]),
    (1212, "2002-03-05", "city/ahmedabad/tear-gas-at-shahpur", False, [
        ("ahmedabad: the police lobbed tear gas shells at shahpur on monday when two groups "
         "clashed.", (F, N)),
        ("six people were injured in the clash and 14 were arrested.", (A, N)),
        ("police said a house was set on fire during the clash.", ()),
        ("the injured were treated at the vs hospital.", ()),
        ("the area was calm by the evening.", ()),
        *SHARE,
    ]),
    (1213, "2002-03-05", "city/gandhinagar/assembly-adjourned", False, [
        ("gandhinagar: the state assembly was adjourned twice on monday as opposition members "
         "shouted slogans.", ()),
        ("the opposition wanted a debate on the violence in the state.", ()),
        ("the speaker said that the debate would be held on wednesday.", ()),
        ("the chief minister told the house that the police had done their best.", (N,)),
        ("members of the treasury benches defended the government.", ()),
    ]),
    (1214, "2002-03-05", "city/anand/arms-seized", True, [
        ("This story is from March 5, 2002\n\n", ()),
        ("anand: the police seized swords and petrol bombs from a house in the town on "
         "monday.", (N,)),
        ("the owner of the house was arrested.", (A, N)),
        ("police said they had acted on a tip-off.", (N,)),
        ("searches were carried out in three other villages of the district.", (N,)),
        ("the district police chief said more arrests were likely.", ()),
        *SHARE,
    ]),
    (1215, "2002-03-06", "city/ahmedabad/schools-reopen", False, [
        ("ahmedabad: schools in the western parts of the city reopened on tuesday after a "
         "week.", ()),
        ("attendance was thin in most schools.", ()),
        ("parents said they were still afraid to send their children.", ()),
        ("the education officer said the board examinations would be held as planned.", ()),
        ("buses of the municipal transport service ran on a few routes.", ()),
    ]),
    (1216, "2002-03-06", "city/surat/lathi-charge-on-crowd", False, [
        ("surat: the police lathi-charged a crowd that tried to storm the varachha police "
         "station on tuesday.", (F, N)),
        ("the crowd wanted the release of two men who had been detained on monday.", (A, N)),
        ("five people were hurt in the lathi-charge.", (F, N)),
        ("police arrested 11 people from the crowd.", (A, N)),
        ("the two detained men were later released on bail.", ()),
        *SHARE,
    ]),
    (1217, "2002-03-06", "city/mehsana/village-attacked", True, [
        ("This story is from March 6, 2002\n\n", ()),
        ("mehsana: a mob attacked houses in a village near visnagar on monday night.", ()),
        ("villagers said the police reached the village only the next morning.", (X, N)),
        ("the police said they had not been told about the attack in time.", ()),
        ("twenty people have been arrested so far.", (A, N)),
        ("the collector visited the village on tuesday.", ()),
    ]),
    (1218, "2002-03-07", "city/ahmedabad/curfew-relaxed", False, [
        ("ahmedabad: curfew was relaxed for six hours in most parts of the city on "
         "wednesday.", (N,)),
        ("markets opened and people came out to buy food.", ()),
        ("the police said no incident was reported during the relaxation.", ()),
        ("curfew will continue in the walled city for another two days.", (N,)),
        ("the police commissioner said patrolling would continue at night.", (N,)),
        *SHARE,
    ]),
    (1219, "2002-03-07", "city/vadodara/police-fire-on-mob", False, [
        ("vadodara: a man was killed in police firing in the tandalja area on wednesday.",
         (K, F, N)),
        ("police said they fired after a mob attacked a patrol with stones.", (F, N)),
        ("four policemen were injured in the stone pelting.", ()),
        ("eight people were arrested after the incident.", (A, N)),
        ("the family of the dead man said he was returning from work.", ()),
    ]),
    (1220, "2002-03-07", "city/nadiad/peace-march", True, [
        ("This story is from March 7, 2002\n\n", ()),
        ("nadiad: hundreds of people took part in a peace march in the town on wednesday.", ()),
        ("the march was led by religious leaders of both communities.", ()),
        ("the marchers walked through the main roads and ended at the town hall.", ()),
        ("the police escorted the march.", (N,)),
        ("speakers appealed for calm and for help to the victims.", ()),
        *SHARE,
    ]),
    (1221, "2002-03-08", "city/ahmedabad/gang-held-for-arson", False, [
        ("ahmedabad: the crime branch arrested five men for setting fire to a hotel on the "
         "highway last week.", (A, N)),
        ("police said the men were part of a mob of about 300 people.", ()),
        ("the men were identified from photographs taken by a journalist.", ()),
        ("they will be produced in court on friday.", ()),
        ("the owner of the hotel said he had lost everything.", ()),
    ]),
    (1222, "2002-03-08", "city/rajkot/police-beat-protesters", False, [
        ("rajkot: the police beat up protesters who had blocked the highway near gondal on "
         "thursday.", (F, N)),
        ("the protesters were demanding water for their village.", ()),
        ("about 30 people were detained and let off in the evening.", (A, N)),
        ("the village has had no piped water for two weeks.", ()),
        ("the water supply board said a new pipeline would be laid this month.", ()),
        *SHARE,
    ]),
    (1223, "2002-03-08", "city/ahmedabad/relief-for-victims", True, [
        ("This story is from March 8, 2002\n\n", ()),
        ("ahmedabad: the state government announced relief for the families of the victims "
         "on thursday.", ()),
        ("each family will get one lakh rupees, the relief commissioner said.", ()),
        ("the money will be paid through the district collectors.", ()),
        ("voluntary groups said the amount was too small.", ()),
        ("the opposition demanded that the relief be doubled.", ()),
    ]),
    (1224, "2002-03-09", "city/godhra/accused-remanded", False, [
        ("godhra: a court on friday remanded 12 accused to police custody for ten days.",
         (N,)),
        ("the police had arrested the men from the town on wednesday night.", (A, N)),
        ("the public prosecutor said more time was needed to question them.", ()),
        ("the lawyers of the accused said the arrests were illegal.", ()),
        ("the next hearing will be held on march 19.", ()),
        *SHARE,
    ]),
    (1225, "2002-03-09", "city/ahmedabad/curfew-violators-held", False, [
        ("ahmedabad: the police arrested 60 people for violating curfew in the eastern parts "
         "of the city on friday.", (A, N)),
        ("police said most of them were out to buy food or medicine.", ()),
        ("they were released later in the day.", ()),
        ("residents complained that curfew passes were hard to get.", ()),
        ("the police commissioner said more passes would be issued.", (N,)),
    ]),
    (1226, "2002-03-09", "city/vadodara/university-exams", True, [
        ("This story is from March 9, 2002\n\n", ()),
        ("vadodara: the university has put off its examinations by two weeks.", ()),
        ("the vice-chancellor said students could not reach the centres safely.", ()),
        ("the new dates will be announced next week.", ()),
        ("students' groups welcomed the decision.", ()),
        *SHARE,
    ]),
    (1227, "2002-03-11", "city/ahmedabad/mob-dispersed-in-juhapura", False, [
        ("ahmedabad: the police dispersed a mob in juhapura with tear gas on sunday.", (F, N)),
        ("the mob had gathered after rumours that a house had been attacked.", ()),
        ("police said the rumours were false.", ()),
        ("three people were arrested for spreading rumours.", (A, N)),
        ("the situation returned to normal within an hour.", ()),
    ]),
    (1228, "2002-03-11", "city/surat/traders-protest", False, [
        ("surat: diamond traders held a protest in the city on sunday against the loss of "
         "business.", ()),
        ("they said exports had fallen since the violence began.", ()),
        ("the traders submitted a memorandum to the collector.", ()),
        ("police were posted at the venue but the protest was peaceful.", ()),
        ("the traders' association will meet the chief minister next week.", ()),
        *SHARE,
    ]),
    (1229, "2002-03-12", "city/ahmedabad/sit-ordered", True, [
        ("This story is from March 12, 2002\n\n", ()),
        ("ahmedabad: the state government has set up a special team to probe the killings in "
         "naroda.", ()),
        ("the team will be headed by a deputy inspector general of police.", ()),
        ("the home minister said the guilty would not be spared.", ()),
        ("so far 45 people have been arrested for the killings.", (A, N)),
        ("the team will submit its report in three months.", ()),
    ]),
    (1230, "2002-03-12", "city/himmatnagar/police-failed-to-act", False, [
        ("himmatnagar: villagers of a hamlet near prantij said the police did not come even "
         "after they called for help.", (X, N)),
        ("a mob burnt five houses and a shop in the hamlet on sunday night.", ()),
        ("the district police chief said a constable who failed to pass on the message had "
         "been suspended.", (X, N)),
        ("ten people were arrested on monday.", (A, N)),
        ("the villagers have moved to a relief camp in himmatnagar.", ()),
        *SHARE,
    ]),
    (1231, "2002-03-13", "city/ahmedabad/banks-reopen", False, [
        ("ahmedabad: banks in the city reopened on tuesday after being closed for three "
         "days.", ()),
        ("long queues were seen outside the branches.", ()),
        ("bank officials said they had arranged extra cash.", ()),
        ("the reserve bank has asked banks to keep longer hours this week.", ()),
        ("the police stepped up patrolling near the banks.", (N,)),
    ]),
    (1232, "2002-03-13", "city/vadodara/police-shoot-rioter", True, [
        ("This story is from March 13, 2002\n\n", ()),
        ("vadodara: a rioter was shot dead by the police in the fatehgunj area on tuesday "
         "night.", (K, F, N)),
        ("police said he was part of a mob that was setting fire to a bakery.", ()),
        ("two others were injured in the firing.", (F, N)),
        ("the police arrested 15 people from the spot.", (A, N)),
        ("the owner of the bakery said the fire was put out before it spread.", ()),
        *SHARE,
    ]),
    (1233, "2002-03-14", "city/ahmedabad/call-for-calm", False, [
        ("ahmedabad: religious leaders made a joint call for calm at a meeting on "
         "wednesday.", ()),
        ("they said the violence had hurt the poor the most.", ()),
        ("the leaders will visit the relief camps together on friday.", ()),
        ("the police commissioner attended the meeting.", ()),
        ("he said the police would act against anyone who spread hatred.", ()),
    ]),
    (1234, "2002-03-14", "city/junagadh/bus-torched", False, [
        ("junagadh: a state transport bus was set on fire by a mob near the town on "
         "wednesday.", ()),
        ("the passengers got off the bus before it was set on fire.", ()),
        ("the police fired tear gas to disperse the mob.", (F, N)),
        ("six people were arrested later in the day.", (A, N)),
        ("bus services on the route have been stopped for two days.", ()),
        *SHARE,
    ]),
    (1235, "2002-03-15", "city/ahmedabad/curfew-lifted", True, [
        ("This story is from March 15, 2002\n\n", ()),
        ("ahmedabad: curfew was lifted from most parts of the city on thursday.", (N,)),
        ("it will continue in four areas of the walled city.", ()),
        ("the police said the situation had improved over the last three days.", ()),
        ("shops and offices opened in the new city.", ()),
        ("the city's main vegetable market opened after two weeks.", ()),
    ]),
    (1236, "2002-03-15", "city/bharuch/arrests-after-clash", False, [
        ("bharuch: the police arrested 16 people after a clash between two groups in the town "
         "on thursday.", (A, N)),
        ("the police lathi-charged the groups and fired tear gas shells.", (F, N)),
        ("seven people were injured in the clash.", ()),
        ("prohibitory orders have been imposed in the town.", (N,)),
        ("the collector has called a meeting of both groups on friday.", ()),
        *SHARE,
    ]),
    (1237, "2002-03-16", "city/ahmedabad/women-protest", False, [
        ("ahmedabad: women from the relief camps held a protest outside the collector's "
         "office on friday.", ()),
        ("they demanded better food and toilets in the camps.", ()),
        ("the police stopped them at the gate and later let a delegation in.", (N,)),
        ("the collector promised to look into their demands.", ()),
        ("the women ended the protest in the afternoon.", ()),
    ]),
    (1238, "2002-03-16", "city/vadodara/officer-transferred", True, [
        ("This story is from March 16, 2002\n\n", ()),
        ("vadodara: the state government transferred a police inspector on friday for failing "
         "to prevent the attack on a bakery.", (X, N)),
        ("residents had said the inspector ignored their calls for help.", (X, N)),
        ("the police commissioner said an inquiry had been ordered.", ()),
        ("four men have been arrested for the attack.", (A, N)),
        ("the inquiry report is due in two weeks.", ()),
        *SHARE,
    ]),
]


def _rows() -> tuple[list[dict], list[dict], list[dict]]:
    docs, meta, sents = [], [], []
    for doc_id, day, slug, dated, sentences in DOCS:
        text = ""
        for i, (sentence, labels) in enumerate(sentences):
            if text and not text.endswith(("\n", " ")):
                text += " "
            text += sentence
            sents.append({"doc_id": doc_id, "sent_id": i, "sent_labels": list(labels),
                          "sent_text": sentence})
        if dated:
            d = date.fromisoformat(day)
            assert sentences[0][0] == f"This story is from {d:%B} {d.day}, {d.year}\n\n", doc_id
        docs.append({"doc_id": doc_id, "doc_text": text})
        meta.append({"doc_id": doc_id, "date": day,
                     "url": f"http://news.example.in/{slug}/articleshow/{doc_id}.cms",
                     "full_text": text})
    return docs, meta, sents


def main() -> None:
    for name, rows in zip(("docs.jsonl", "metadata.jsonl", "sents.jsonl"), _rows(), strict=True):
        with open(HERE / name, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
