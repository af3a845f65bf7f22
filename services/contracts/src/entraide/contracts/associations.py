"""The network's founding associations, by the id every event carries, with the name
people read: the shared reference (like the geography) that intake's and matching's pages
show instead of the id. Directory keeps their branches and contact paths."""

NAMES = {
    "parrains-par-mille": "Parrains Par Mille",
    "afev": "AFEV",
    "france-parrainages": "France Parrainages",
    "grands-parrains": "Grands Parrains",
    "fondation-pour-l-enfance": "Fondation pour l'Enfance",
    "unaf": "UNAF",
    "centres-sociaux": "Fédération des centres sociaux",
}
# each name as a sentence says it after « de » or « par », with its article where French
# gives it one (« bénévole de l'AFEV », « suivie par la Fédération des centres sociaux »)
IN_SENTENCE = NAMES | {
    "afev": "l'AFEV",
    "unaf": "l'UNAF",
    "fondation-pour-l-enfance": "la Fondation pour l'Enfance",
    "centres-sociaux": "la Fédération des centres sociaux",
}
