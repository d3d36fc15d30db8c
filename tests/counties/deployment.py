"""A two-county deployment: the Tonglu seed (county A) and a second, synthetic county B with its own departments,
review stages, reviewers, clerks and budget caps, both below a province root (contract §10). A province
department with a province stage files items scoped at the province."""

from sqlmodel import select

from registry.accounts.services import create_user
from registry.admission.models import ReviewStage, ReviewStageDepartment
from registry.burden.services import current_caps, replace_caps
from registry.choices import DepartmentKind, RegionKind, RegionLevel, Role
from registry.db import Database
from registry.regions.models import Department, Region
from registry.regions.services import forget_regions
from tests.conftest import PASSWORD

PROVINCE = "330000000000"
A_COUNTY = "330122000000"  # 桐庐县 (the seed)
A_VILLAGE = "330122101201"  # 芦茨村
B_COUNTY = "339901000000"
B_TOWN = "339901001000"
B_VILLAGE = "339901001201"
B_COMMUNITY = "339901001001"
# county B's departments: {code: name}
B_DEPARTMENTS = {"SYNMZJ": "合成县民政局（合成）", "SYNSFJ": "合成县司法局（合成）",
                 "SYNYJJ": "合成县应急管理局（合成）"}
B_STAGES = (("syn_substantive", "实质审查（合成县）", "SYNMZJ"), ("syn_legality", "合法性审查（合成县）", "SYNSFJ"))
B_ACCOUNTS = (("syn_mzj_reviewer", Role.REVIEWER, "SYNMZJ"), ("syn_sfj_reviewer", Role.REVIEWER, "SYNSFJ"),
              ("syn_yjj_clerk", Role.DEPARTMENT, "SYNYJJ"))
PROVINCE_ACCOUNTS = (("prov_clerk", Role.DEPARTMENT, "PROVMZT"), ("prov_reviewer", Role.REVIEWER, "PROVSFT"))


def build(db: Database, b_caps: dict[str, int | float] | None = None) -> None:
    """Put a province above Tonglu and add county B (one town, a 村 and a 社区) with its people and caps."""
    with db.write() as session:
        province = Region(code=PROVINCE, name="浙江省", level=RegionLevel.PROVINCE, kind=RegionKind.PROVINCE)
        session.add(province)
        session.flush()
        tonglu = session.exec(select(Region).where(Region.code == A_COUNTY)).one()
        tonglu.parent_id = province.id
        session.add(tonglu)
        county = Region(code=B_COUNTY, name="合成县（合成）", level=RegionLevel.COUNTY, kind=RegionKind.COUNTY,
                        parent_id=province.id)
        session.add(county)
        session.flush()
        town = Region(code=B_TOWN, name="合成镇（合成）", level=RegionLevel.TOWN, kind=RegionKind.TOWN,
                      parent_id=county.id)
        session.add(town)
        session.flush()
        session.add(Region(code=B_VILLAGE, name="合成村（合成）", level=RegionLevel.VILLAGE, kind=RegionKind.VILLAGE,
                           parent_id=town.id))
        session.add(Region(code=B_COMMUNITY, name="合成社区（合成）", level=RegionLevel.VILLAGE,
                           kind=RegionKind.COMMUNITY, parent_id=town.id))
        departments = {code: Department(code=code, name=name, kind=DepartmentKind.GOVERNMENT, region_id=county.id)
                       for code, name in B_DEPARTMENTS.items()}
        departments["PROVMZT"] = Department(code="PROVMZT", name="省民政厅（合成）", region_id=province.id)
        departments["PROVSFT"] = Department(code="PROVSFT", name="省司法厅（合成）", region_id=province.id)
        session.add_all(departments.values())
        session.flush()
        stages = [(county.id, position, code, name, department)
                  for position, (code, name, department) in enumerate(B_STAGES, start=1)]
        stages.append((province.id, 1, "prov_legality", "合法性审查（省）", "PROVSFT"))
        for region_id, position, code, name, department in stages:
            stage = ReviewStage(code=code, name=name, position=position, region_id=region_id)
            session.add(stage)
            session.flush()
            session.add(ReviewStageDepartment(stage_id=stage.id, department_id=departments[department].id))  # type: ignore[arg-type]
        county_id = county.id
    forget_regions()
    with db.write() as session:
        replace_caps(session, b_caps if b_caps is not None else current_caps(session), county_id)
    for name, role, department in (*B_ACCOUNTS, *PROVINCE_ACCOUNTS):
        create_user(db, name, role, PASSWORD, department, None)
