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
