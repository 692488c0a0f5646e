#!/usr/bin/env python3
"""Writes prerequests.json: the demo pre-requests the reference central serves by default, and
tax_stamps.json: the electronic tax stamps it knows (standing for the tax administration's register).

Deterministic (fixed seed) so the file only changes when this script does. Numbers are 10
characters [A-Z0-9]; the first few are fixed so docs and tests can name them.
"""
import json, random, string, pathlib

rng = random.Random(20261127)

people = [
    # surname, given names, sex, birth date, birth place, address
    ("Lefèvre", "Hélène Marie", "F", "1984-03-12", "Lyon (69)", "14 rue de la République, 69002 Lyon"),
    ("N'Diaye", "Aïssatou", "F", "1991-07-28", "Dakar (Sénégal)", "3 place Bellecour, 69002 Lyon"),
    ("Müller", "Jérôme Édouard", "M", "1967-11-02", "Strasbourg (67)", "8 quai Saint-Vincent, 69001 Lyon"),
    ("Dupont-Moretti", "Gaëlle", "F", "2016-05-19", "Villeurbanne (69)", "27 cours Émile Zola, 69100 Villeurbanne"),
    ("Nguyễn", "Thành Long", "M", "1979-01-30", "Hô Chi Minh-Ville (Viêt Nam)", "5 rue Mercière, 69002 Lyon"),
    ("Ben Saïd", "Yasmine Noor", "F", "2011-09-04", "Vénissieux (69)", "112 avenue Jean Jaurès, 69007 Lyon"),
    ("Østergård", "Søren", "M", "1958-06-15", "Aarhus (Danemark)", "2 montée de la Grande Côte, 69001 Lyon"),
    ("Le Goff", "Maël Yann", "M", "2019-02-21", "Brest (29)", "41 rue Garibaldi, 69006 Lyon"),
    ("Da Silva Gonçalves", "Inês", "F", "1996-12-08", "Porto (Portugal)", "9 rue Paul Bert, 69003 Lyon"),
    ("Château", "Léa-Chloé", "F", "2003-04-01", "Annecy (74)", "66 boulevard des Belges, 69006 Lyon"),
    ("Özdemir", "Emre", "M", "1988-10-23", "Bron (69)", "17 rue Victor Hugo, 69002 Lyon"),
    ("de La Fontaine", "François Xavier Marie", "M", "1945-08-09", "Mâcon (71)", "1 place des Terreaux, 69001 Lyon"),
    ("Kowalczyk", "Zoë", "X", "2000-01-01", "Saint-Étienne (42)", "23 rue Saint-Jean, 69005 Lyon"),
    ("Bérenger", "Noé", "M", "2014-11-30", "Lyon (69)", "88 rue de Créqui, 69006 Lyon"),
    ("Hoàng", "Mỹ Linh", "F", "1972-02-14", "Hanoï (Viêt Nam)", "4 rue de Marseille, 69007 Lyon"),
    ("O'Connor", "Siobhán", "F", "1990-05-05", "Cork (Irlande)", "31 quai Claude Bernard, 69007 Lyon"),
    ("Élie", "Anaïs Béatrice", "F", "2009-03-17", "Caluire-et-Cuire (69)", "10 chemin de Crépieux, 69300 Caluire-et-Cuire"),
    ("Abécassis", "Raphaël", "M", "1999-09-09", "Oran (Algérie)", "55 rue de la Part-Dieu, 69003 Lyon"),
    ("Schœlcher", "Étienne", "M", "1983-07-14", "Fort-de-France (972)", "6 rue Sainte-Catherine, 69001 Lyon"),
    ("Lambert", "Jeanne", "F", "1938-12-24", "Roanne (42)", "19 avenue Félix Faure, 69003 Lyon"),
    ("Traoré", "Moussa Ibrahim", "M", "2021-06-02", "Lyon (69)", "72 rue Marietton, 69009 Lyon"),
    ("Fernández-Łukasik", "Ana Sofía", "F", "1993-04-11", "Séville (Espagne)", "15 rue du Bât-d'Argent, 69001 Lyon"),
    ("Petitjean-Ruiz", "Côme", "M", "2008-08-08", "Grenoble (38)", "3 impasse des Chênes, 69110 Sainte-Foy-lès-Lyon"),
    ("Ait Ouaziz", "Lounès", "M", "1976-03-03", "Tizi Ouzou (Algérie)", "28 rue Pasteur, 69007 Lyon"),
]

statuses = ["validated"] * 14 + ["consumed"] * 3 + ["declared"] * 2 + ["unknown"] * 2 + ["expired"] * 3
rng.shuffle(statuses)
# Fixed numbers, validated, for the demo and the docs: two adults and a child under 12.
fixed = {0: "DEMO000001", 1: "DEMO000002", 3: "DEMO000003"}
for i in fixed:
    statuses[i] = "validated"

documents = ["cni", "passport", "cni+passport"]
reasons = ["first", "renewal", "loss", "theft", "civil-status-change", "address-change"]
fathers = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Moreau"]
given_f = ["Françoise", "Brigitte", "Amélie", "Nadia", "Mireille", "Agnès", "Séverine"]
given_m = ["André", "Hervé", "Cédric", "Karim", "Loïc", "Gérard", "Benoît"]

# The eye colours of the ANTS form; drawn without the generator so that adding them left every
# other value as it was.
eyes = ["bleu", "bleu-gris", "bleu-vert", "gris", "marron", "noir", "noisette", "vert", "vairons"]

def height_cm(i, born):
    # A child grows about 9 cm a year from about 50 cm at birth; adults from 155 to 189 cm.
    age = 2026 - int(born[:4])
    if age < 12:
        return 50 + 9 * age + i % 4
    return 155 + (i * 7) % 35

def number(i):
    if i in fixed:
        return fixed[i]
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(10))

out = []
for i, (surname, given, sex, born, place, address) in enumerate(people):
    status = statuses[i % len(statuses)]
    mother_surname = rng.choice(fathers)
    parents = [
        {"surname": mother_surname, "given_names": rng.choice(given_f)},
        {"surname": surname, "given_names": rng.choice(given_m)},
    ]
    appointments = []
    if status in ("validated", "consumed"):
        day = 1 + (i % 28)
        appointments.append({
            "meeting_point": "Mairie du 2e arrondissement de Lyon",
            "meeting_point_id": "69382-02",
            "appointment_date": f"2026-12-{day:02d}T09:{20 * (i % 3):02d}:00+01:00",
            "management_url": f"https://rdv.mairie-lyon.example/rendez-vous/{i + 1000}",
        })
    out.append({
        "number": number(i),
        "status": status,
        "document_type": documents[i % 3],
        "reason": "first" if born >= "2012" else reasons[(i * 5) % len(reasons)],
        "applicant": {
            "surname": surname,
            "given_names": given,
            "birth_date": born,
            "birth_place": place,
            "sex": sex,
            "address": address,
            "parents": parents,
            "height_cm": height_cm(i, born),
            "eye_colour": eyes[(i * 4) % len(eyes)],
        },
        "appointments": appointments,
    })

# One pre-request booked at another town hall (Marseille): the scope tests check that a Lyon
# station can neither read it nor file a record for it. Written by hand, after the random ones,
# so that it leaves them as they were.
out.append({
    "number": "AUTRE00001",
    "status": "validated",
    "document_type": "cni",
    "reason": "renewal",
    "applicant": {
        "surname": "Castellane",
        "given_names": "Marius",
        "birth_date": "1975-05-02",
        "birth_place": "Marseille (13)",
        "sex": "M",
        "address": "8 quai du Port, 13002 Marseille",
        "parents": [{"surname": "Castellane", "given_names": "Honoré"}],
        "height_cm": 178,
        "eye_colour": "marron",
    },
    "appointments": [{
        "meeting_point": "Mairie des 1er et 7e arrondissements de Marseille",
        "meeting_point_id": "13055-01",
        "appointment_date": "2026-12-01T10:00:00+01:00",
        "management_url": "https://rdv.marseille.example/rendez-vous/2000",
    }],
})

# A mobile kit's tour day (2026-12-14, no counter appointment that day): three residents of a care
# home visited by the Lyon kit, and one Marseille appointment the same day that the Lyon kit must
# not receive. Written by hand after the others, so that they leave the ones above as they were.
tour = [
    ("TOURNEE001", "Vasseur", "Madeleine", "F", "1931-02-11", "Lyon (69)", "cni", "renewal", 158, "bleu-gris", "10:00"),
    ("TOURNEE002", "Giraud", "Lucien Henri", "M", "1936-09-30", "Vienne (38)", "passport", "first", 171, "marron", "10:40"),
    ("TOURNEE003", "Benhamou", "Rachel", "F", "1944-06-06", "Constantine (Algérie)", "cni", "loss", 162, "noisette", "11:20"),
]
for number_, surname, given, sex, born, place, document, reason, height, eye, hour in tour:
    out.append({
        "number": number_,
        "status": "validated",
        "document_type": document,
        "reason": reason,
        "applicant": {
            "surname": surname,
            "given_names": given,
            "birth_date": born,
            "birth_place": place,
            "sex": sex,
            "address": "EHPAD Les Tilleuls, 12 rue Tronchet, 69006 Lyon",
            "parents": [{"surname": surname, "given_names": "Joseph"}],
            "height_cm": height,
            "eye_colour": eye,
        },
        "appointments": [{
            "meeting_point": "Mairie du 2e arrondissement de Lyon (visite à domicile)",
            "meeting_point_id": "69382-02",
            "appointment_date": f"2026-12-14T{hour}:00+01:00",
            "management_url": f"https://rdv.mairie-lyon.example/rendez-vous/{number_.lower()}",
        }],
    })
out.append({
    "number": "AUTRE00002",
    "status": "validated",
    "document_type": "passport",
    "reason": "first",
    "applicant": {
        "surname": "Roumanille",
        "given_names": "Fanny",
        "birth_date": "1950-03-21",
        "birth_place": "Aubagne (13)",
        "sex": "F",
        "address": "Hôpital de la Timone, 264 rue Saint-Pierre, 13005 Marseille",
        "parents": [{"surname": "Roumanille", "given_names": "Joseph"}],
        "height_cm": 160,
        "eye_colour": "vert",
    },
    "appointments": [{
        "meeting_point": "Mairie des 1er et 7e arrondissements de Marseille (visite à domicile)",
        "meeting_point_id": "13055-01",
        "appointment_date": "2026-12-14T10:00:00+01:00",
        "management_url": "https://rdv.marseille.example/rendez-vous/2001",
    }],
})

path = pathlib.Path(__file__).with_name("prerequests.json")
path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
print(f"wrote {len(out)} pre-requests to {path}")

# Electronic tax stamps: a few valid ones for each fee (passport 86/42/17 EUR, identity card after
# loss or theft 25 EUR, both documents 111 EUR), and one already used elsewhere. Numbers are made
# from the fee and a counter, without the generator, so that they leave the pre-requests as they
# were; the first of each fee is easy to type in a demo (its digits say its amount).
fees = [8600, 4200, 1700, 2500, 11100]
stamps = []
for fee in fees:
    for k in range(1, 4):
        stamps.append({"number": f"{fee:05d}{k:011d}", "amount_cents": fee, "used": False})
stamps.append({"number": "9999000000000001", "amount_cents": 8600, "used": True})
path = pathlib.Path(__file__).with_name("tax_stamps.json")
path.write_text(json.dumps(stamps, indent=2) + "\n", encoding="utf-8")
print(f"wrote {len(stamps)} tax stamps to {path}")
