"""A volunteer's application status in words: one word per status, the same on every
surface: the e-mail that tells the volunteer (its subject), the badge of their space, and
the association's page, which says whose status it is in the same words.

French here. The volunteer's words are translated in directory's catalogs
(`locales/words.txt`); the staff's page is in French only.
"""

from entraide.directory.domain.volunteers.rules import Status

# what the volunteer reads: their space's badge, an e-mail's subject (« … : acceptée »)
FOR_VOLUNTEER = {
    Status.APPLIED: "Reçue",
    Status.IN_REVIEW: "En cours d'examen",
    Status.APPROVED: "Acceptée",
    Status.DECLINED: "Non retenue",
    Status.PAUSED: "En pause",
    Status.LEFT: "Retirée",
}
# what the association's staff read, of each volunteer and in the review's choices
FOR_STAFF = {
    Status.APPLIED: "Candidature reçue",
    Status.IN_REVIEW: "Candidature en cours d'examen",
    Status.APPROVED: "Candidature acceptée",
    Status.DECLINED: "Candidature non retenue",
    Status.PAUSED: "En pause",
    Status.LEFT: "A quitté le réseau",
}
