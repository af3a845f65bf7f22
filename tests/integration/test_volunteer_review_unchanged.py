"""The association's review of a volunteer sent with nothing chosen (« Inchangé »,
« Inchangée », no date) said « La fiche du bénévole est mise à jour. », though nothing was
recorded. It now says nothing changed and what to choose; a real change still says it."""

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.app import create_app as directory_app
from entraide.directory.domain.records import ConflictError
from entraide.directory.usecases import volunteers
from entraide.kit.deps import lookup
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_to_family import APPLICATION
from tests.page_text import text_of
from tests.support import serving


async def _review(client, volunteer_id: str, **form: str) -> str:
    """The review posted from the association's page, and the page it leads back to."""
    page = await client.get("/association")
    token = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = await client.post(
        f"/association/benevoles/{volunteer_id}", data={"csrf": token, **form}
    )
    assert answer.status_code == 303
    return text_of((await client.get(answer.headers["location"])).text)


async def test_a_review_with_nothing_chosen_says_nothing_changed(
    directory_settings,  # noqa: F811
    dev_issuer,
) -> None:
    async with serving(app := directory_app(directory_settings)) as directory:
        assert (await directory.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(directory, "ppm-nantes")
        unchanged = await _review(directory, stored["_id"], statut="", honorabilite="")
        after = await lookup(app, VolunteerStore).all()
        changed = await _review(directory, stored["_id"], statut="in-review")

    assert "Aucun changement enregistré" in unchanged
    assert "mise à jour" not in unchanged
    assert [v["status"] for v in after] == [stored["status"]]
    assert "La fiche du bénévole est mise à jour." in changed


async def test_a_review_that_lost_a_race_says_so_in_words_not_by_the_volunteer_s_id(
    directory_settings,  # noqa: F811
    dev_issuer,
    monkeypatch,
) -> None:
    async def raced(_uow, _principal, volunteer_id: str, *_args, **_kwargs):
        raise ConflictError(volunteer_id)  # another revision written at each attempt

    monkeypatch.setattr(volunteers, "change", raced)
    async with serving(app := directory_app(directory_settings)) as directory:
        assert (await directory.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(directory, "ppm-nantes")
        shown = await _review(directory, stored["_id"], statut="in-review")

    assert "La fiche a changé entre-temps : rechargez la page." in shown
    assert stored["_id"] not in shown  # the internal id is no sentence


async def test_a_review_the_rules_refuse_says_why_in_the_pages_words(
    directory_settings,  # noqa: F811
    dev_issuer,
) -> None:
    """An approval before the honorability check is cleared, or a status that cannot follow
    the current one, said « applied ne peut pas devenir left »: the store's codes."""
    async with serving(app := directory_app(directory_settings)) as directory:
        assert (await directory.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(directory, "ppm-nantes")
        backwards = await _review(directory, stored["_id"], statut="paused")
        await _review(directory, stored["_id"], statut="in-review")
        early = await _review(directory, stored["_id"], statut="approved")

    assert "L'attestation d'honorabilité doit être validée avant l'accord." in early
    said = "« Candidature reçue » ne peut pas devenir « En pause » : choisissez un autre statut."
    assert said in backwards
    assert "applied" not in backwards
    assert "paused" not in backwards
