"""Drives a published Dnevnik.ru API client (pydnevnikruapi, not written here) against a
running Zhurnal, the way its users do: the base URL is the only thing changed. Prints one
JSON object with what the client got back from every call; the Rust test that runs this
script asserts on it.

    python dnevnik_client.py --base http://127.0.0.1:PORT --login student --password demo \
        --from 2026-11-23 --to 2026-11-28 [--token TOKEN] [--prefix v2.0]
"""

import argparse
import asyncio
import datetime
import json
import sys

import aiohttp
import pydnevnikruapi.dnevnik as module
from pydnevnikruapi import AsyncDiaryAPI
from pydnevnikruapi.exceptions import AsyncDiaryError


def point_at(base: str) -> None:
    # The client reads its login addresses from module globals at call time: the documented
    # way to send it elsewhere. The client id and scopes are the client's own.
    module.LOGIN_URL = base + "/login/"
    module.RETURN_URL = module.RETURN_URL.replace("https://login.dnevnik.ru", base)


async def run(args) -> dict:
    out: dict = {}
    point_at(args.base)
    start = datetime.datetime.fromisoformat(args.start).isoformat()
    end = datetime.datetime.fromisoformat(args.end).replace(hour=23, minute=59).isoformat()
    # aiohttp refuses cookies from IP hosts by default; the flow needs none, but a lenient
    # jar keeps the client's own behaviour on localhost and 127.0.0.1 alike.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        if args.token:
            api = AsyncDiaryAPI(session, token=args.token)
        else:
            api = AsyncDiaryAPI(session, login=args.login, password=args.password)
            try:
                await api.set_token()
            except AsyncDiaryError as e:
                return {"login_error": str(e)}
        api.host = f"{args.base}/{args.prefix}/"
        out["token"] = api.token
        out["info"] = await api.get_info()
        out["context"] = ctx = await api.get_context()
        out["school"] = await api.get_school()
        out["schools"] = await api.get_schools()
        out["edu_groups"] = await api.get_edu_groups()
        out["statuses"] = await api.get_lesson_log_statuses()
        person = args.person or ctx["personId"]
        groups = await api.get_person_groups(person)
        out["person_groups"] = groups
        if not isinstance(groups, list) or not groups:
            return out
        school = ctx["schoolIds"][0] if ctx["schoolIds"] else groups[0]["school"]
        group = next(g for g in groups if g["type"] == "Group")["id_str"]
        out["group"] = await api.get_group_info(group)
        out["pupils"] = await api.get_groups_pupils(group)
        out["subjects"] = await api.get_group_subjects(group)
        out["lessons"] = lessons = await api.get_group_lessons_info(group, start, end)
        if lessons:
            out["lesson"] = await api.get_lesson_info(lessons[0]["id"])
        out["marks"] = marks = await api.get_person_marks(person, school, start, end)
        if marks:
            out["subject_marks"] = await api.get_person_subject_marks(
                person, marks[0]["subject"], start, end
            )
        out["homework"] = await api.get_person_homework(school, person, start, end)
        if person == ctx["personId"]:
            out["my_homework"] = await api.get_school_homework(school, start, end)
        out["schedule"] = await api.get_person_schedule(person, group, start, end)
        out["timetable"] = await api.get_group_timetable(group)
        out["periods"] = periods = await api.get_group_reports(group)
        out["final_marks"] = await api.get_person_group_marks_final(person, group)
        out["year_marks"] = await api.get_person_group_marks(person, group)
        if periods:
            out["average"] = await api.get_person_average_marks(person, periods[0]["id"])
        out["attendance"] = await api.get_person_lesson_logs(person, start, end)
        # Somebody else's data: the client gets the service's error object back as data.
        out["foreign"] = await api.get_person_marks(args.foreign, school, start, end)
        try:
            await api.get_group_lessons_info(group, "not-a-date", end)
            out["bad_date"] = "accepted"
        except AsyncDiaryError as e:
            out["bad_date"] = str(e)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--login")
    p.add_argument("--password")
    p.add_argument("--token")
    p.add_argument("--prefix", default="v2", help="v2 or v2.0")
    p.add_argument("--person", type=int, help="whose data to read (default: the caller)")
    p.add_argument("--foreign", type=int, default=1, help="a person the caller may not see")
    p.add_argument("--from", dest="start", required=True)
    p.add_argument("--to", dest="end", required=True)
    args = p.parse_args()
    json.dump(asyncio.run(run(args)), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
