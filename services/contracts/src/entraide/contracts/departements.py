"""The départements' (and overseas collectivités') names by INSEE code, as events and the
communes' table carry them, so that a person reads « Loire-Atlantique », not « 44 »:
volunteers' messages, pages and exports, anywhere in France
(`tests/unit/contracts/test_departements.py` checks the table against every commune's)."""

_TABLE = """
01 Ain | 02 Aisne | 03 Allier | 04 Alpes-de-Haute-Provence
05 Hautes-Alpes | 06 Alpes-Maritimes | 07 Ardèche | 08 Ardennes
09 Ariège | 10 Aube | 11 Aude | 12 Aveyron
13 Bouches-du-Rhône | 14 Calvados | 15 Cantal | 16 Charente
17 Charente-Maritime | 18 Cher | 19 Corrèze | 2A Corse-du-Sud
2B Haute-Corse | 21 Côte-d'Or | 22 Côtes-d'Armor | 23 Creuse
24 Dordogne | 25 Doubs | 26 Drôme | 27 Eure
28 Eure-et-Loir | 29 Finistère | 30 Gard | 31 Haute-Garonne
32 Gers | 33 Gironde | 34 Hérault | 35 Ille-et-Vilaine
36 Indre | 37 Indre-et-Loire | 38 Isère | 39 Jura
40 Landes | 41 Loir-et-Cher | 42 Loire | 43 Haute-Loire
44 Loire-Atlantique | 45 Loiret | 46 Lot | 47 Lot-et-Garonne
48 Lozère | 49 Maine-et-Loire | 50 Manche | 51 Marne
52 Haute-Marne | 53 Mayenne | 54 Meurthe-et-Moselle | 55 Meuse
56 Morbihan | 57 Moselle | 58 Nièvre | 59 Nord
60 Oise | 61 Orne | 62 Pas-de-Calais | 63 Puy-de-Dôme
64 Pyrénées-Atlantiques | 65 Hautes-Pyrénées | 66 Pyrénées-Orientales | 67 Bas-Rhin
68 Haut-Rhin | 69 Rhône | 70 Haute-Saône | 71 Saône-et-Loire
72 Sarthe | 73 Savoie | 74 Haute-Savoie | 75 Paris
76 Seine-Maritime | 77 Seine-et-Marne | 78 Yvelines | 79 Deux-Sèvres
80 Somme | 81 Tarn | 82 Tarn-et-Garonne | 83 Var
84 Vaucluse | 85 Vendée | 86 Vienne | 87 Haute-Vienne
88 Vosges | 89 Yonne | 90 Territoire de Belfort | 91 Essonne
92 Hauts-de-Seine | 93 Seine-Saint-Denis | 94 Val-de-Marne | 95 Val-d'Oise
971 Guadeloupe | 972 Martinique | 973 Guyane | 974 La Réunion
976 Mayotte
975 Saint-Pierre-et-Miquelon | 977 Saint-Barthélemy | 978 Saint-Martin | 986 Wallis-et-Futuna
987 Polynésie française | 988 Nouvelle-Calédonie | 989 Clipperton
"""  # code name | code name ... (the last lines: the overseas collectivités)


def _by_code(table: str) -> dict[str, str]:
    """`code text | code text` lines, as a dict."""
    return {
        code: text
        for line in table.strip().splitlines()
        for code, text in (pair.strip().split(" ", 1) for pair in line.split("|"))
    }


NAMES = _by_code(_TABLE)


# where the network starts: Paris, Seine-Saint-Denis, Loire-Atlantique, Nord, Nièvre
FIRST_TERRITORIES = ("75", "93", "44", "59", "58")


def name(code: str) -> str:
    """The département's name, or its code when it is not one (a code from elsewhere)."""
    return NAMES.get(code, code)


# How French says « in » each of them: « dans la Nièvre », « dans le Nord », « dans l'Ain »,
# « dans les Landes », « en Loire-Atlantique », « à Paris ». By code, its word before the name.
_IN = """
01 l' | 02 l' | 03 l' | 04 les | 05 les | 06 les | 07 en | 08 les | 09 en | 10 l' | 11 l'
12 l' | 13 les | 14 le | 15 le | 16 en | 17 en | 18 le | 19 en | 2A en | 2B en | 21 en
22 les | 23 la | 24 en | 25 le | 26 la | 27 l' | 28 en | 29 le | 30 le | 31 en | 32 le
33 en | 34 l' | 35 en | 36 l' | 37 en | 38 en | 39 le | 40 les | 41 le | 42 la | 43 en
44 en | 45 le | 46 le | 47 en | 48 en | 49 en | 50 la | 51 la | 52 en | 53 en | 54 en
55 la | 56 le | 57 en | 58 la | 59 le | 60 l' | 61 l' | 62 le | 63 le | 64 les | 65 les
66 les | 67 le | 68 le | 69 le | 70 en | 71 en | 72 la | 73 en | 74 en | 75 à | 76 en
77 en | 78 les | 79 les | 80 la | 81 le | 82 le | 83 le | 84 le | 85 en | 86 la | 87 en
88 les | 89 l' | 90 le | 91 en | 92 les | 93 en | 94 le | 95 le
971 en | 972 en | 973 en | 974 à | 976 à | 975 à | 977 à | 978 à | 986 à | 987 en | 988 en
989 à
"""
_WORD_BEFORE = _by_code(_IN)


def in_departement(code: str) -> str:
    """« dans la Nièvre », « en Seine-Saint-Denis », « à Paris »: where a family lives, as a
    sentence says it; « dans le département 00 » for a code that is none of them."""
    word, place = _WORD_BEFORE.get(code), NAMES.get(code)
    if word is None or place is None:
        return f"dans le département {code}"
    if word in ("en", "à"):
        return f"{word} {place}"
    return f"dans {word}{place}" if word == "l'" else f"dans {word} {place}"


def of_postal_code(postal_code: str) -> str:
    """The département code of a French postal code (Corsica and overseas included)."""
    if postal_code.startswith("20"):
        return "2A" if int(postal_code) < 20200 else "2B"
    if postal_code.startswith("97"):
        return postal_code[:3]
    return postal_code[:2]
