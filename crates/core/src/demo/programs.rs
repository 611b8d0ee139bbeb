//! Inserts the coordination programs of [`super::program_table`]: each program with its parties,
//! legal basis, commitments, and reports with their indicator values.
//!
//! A report is submitted by the demo user who writes for the reporting organisation and
//! acknowledged by the one who writes for the program's owner (when there is such a user).

use sea_orm::{ActiveModelTrait, EntityTrait, NotSet, Set};
use serde_json::json;

use super::program_table::{PROGRAMS, ProgramSpec, ReportSpec};
use super::{Seeder, at, at_day, date, position, shift};
use crate::entity::enums::ReportStatus;
use crate::entity::{
    commitment, program, program_legal_basis, program_party, program_report, report_indicator_value,
};
use crate::{Error, Result, search};

/// Seeds every program and everything under it.
pub(super) async fn seed(seeder: &mut Seeder<'_>) -> Result<()> {
    for spec in PROGRAMS {
        seed_program(seeder, spec).await?;
    }
    Ok(())
}

async fn seed_program(seeder: &mut Seeder<'_>, spec: &ProgramSpec) -> Result<()> {
    let owner = seeder.org(spec.owner)?.clone();
    let (starts, ends) = spec.period;
    // Recorded when it was signed (drafts: when drafted).
    let created_at = match spec.signed {
        Some((day, _)) => at(day, 8)?,
        None => at((2026, 10, 1), 8)?,
    };
    let created = program::ActiveModel {
        id: NotSet,
        code: Set(spec.code.to_owned()),
        owner_id: Set(owner.id),
        title: Set(spec.title.to_owned()),
        title_search: Set(search::normalize(spec.title)),
        agreement_number: Set(spec.agreement.map(str::to_owned)),
        signed_on: Set(spec.signed.map(|(day, _)| date(day)).transpose()?),
        signed_place: Set(spec.signed.map(|(_, place)| place.to_owned())),
        starts_on: Set(date(starts)?),
        ends_on: Set(date(ends)?),
        status: Set(spec.status),
        objectives: Set(Some(spec.objectives.to_owned())),
        content_areas: Set(json!(spec.areas)),
        termination_reason: Set(spec.termination_reason.map(str::to_owned)),
        created_at: Set(created_at),
        updated_at: Set(created_at),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(seeder.txn)
    .await?;
    seeder.programs.insert(spec.code, created.id);
    seeder.report.programs += 1;

    let mut parties = Vec::new();
    for (code, role, signatory, duties) in spec.parties {
        let party = program_party::ActiveModel {
            id: NotSet,
            program_id: Set(created.id),
            organisation_id: Set(seeder.org_id(code)?),
            role: Set(*role),
            signatory_name: Set(signatory.map(|(name, _)| name.to_owned())),
            signatory_title: Set(signatory.map(|(_, title)| title.to_owned())),
            duties: Set(Some((*duties).to_owned())),
            added_at: Set(created_at),
            removed_at: Set(None),
        }
        .insert(seeder.txn)
        .await?;
        parties.push((*code, party.id));
    }

    let basis = spec
        .basis
        .iter()
        .map(|number| {
            Ok(program_legal_basis::ActiveModel {
                program_id: Set(created.id),
                legal_document_id: Set(seeder.document_id(number)?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    program_legal_basis::Entity::insert_many(basis)
        .exec_without_returning(seeder.txn)
        .await?;

    let mut commitments = Vec::new();
    for (index, (party_code, description, indicator, unit, target, due)) in
        spec.commitments.iter().enumerate()
    {
        let party_id = parties
            .iter()
            .find(|(code, _)| code == party_code)
            .map(|(_, id)| *id)
            .ok_or_else(|| {
                Error::Internal(format!("demo party {party_code} missing in {}", spec.code))
            })?;
        let inserted = commitment::ActiveModel {
            id: NotSet,
            program_id: Set(created.id),
            party_id: Set(party_id),
            position: Set(position(index)?),
            description: Set((*description).to_owned()),
            indicator: Set((*indicator).to_owned()),
            unit: Set(Some((*unit).to_owned())),
            target_value: Set(Some(*target)),
            due_on: Set(Some(date(*due)?)),
            created_at: Set(created_at),
            updated_at: Set(created_at),
            archived_at: Set(None),
            version: Set(1),
        }
        .insert(seeder.txn)
        .await?;
        commitments.push(inserted.id);
    }

    for report in spec.reports {
        seed_report(seeder, spec, &owner, created.id, &commitments, report).await?;
    }
    Ok(())
}

async fn seed_report(
    seeder: &Seeder<'_>,
    spec: &ProgramSpec,
    owner: &crate::entity::organisation::Model,
    program_id: i64,
    commitments: &[i64],
    report: &ReportSpec,
) -> Result<()> {
    let reporter = seeder.org(report.reporter)?;
    let dated = date(report.dated)?;
    let submitted = report.status != ReportStatus::Draft;
    let acknowledged = report.status == ReportStatus::Acknowledged;
    let submitted_at = at_day(dated, 9)?;
    let acknowledged_at = at_day(shift(dated, 14)?, 10)?;
    let inserted = program_report::ActiveModel {
        id: NotSet,
        program_id: Set(program_id),
        reporting_organisation_id: Set(reporter.id),
        kind: Set(report.kind),
        period_year: Set(report.year),
        title: Set(report.title.to_owned()),
        achievements: Set(Some(report.achievements.to_owned())),
        shortcomings: Set(report.shortcomings.map(str::to_owned)),
        proposals: Set(report.proposals.map(str::to_owned)),
        status: Set(report.status),
        submitted_at: Set(submitted.then_some(submitted_at)),
        submitted_by: Set(submitted.then(|| seeder.acting_user(reporter)).flatten()),
        acknowledged_at: Set(acknowledged.then_some(acknowledged_at)),
        acknowledged_by: Set(acknowledged.then(|| seeder.acting_user(owner)).flatten()),
        created_at: Set(at_day(shift(dated, -7)?, 8)?),
        updated_at: Set(if acknowledged {
            acknowledged_at
        } else {
            submitted_at
        }),
        archived_at: Set(None),
        version: Set(1),
    }
    .insert(seeder.txn)
    .await?;
    let values = report
        .values
        .iter()
        .map(|(index, value)| {
            let commitment_id = commitments.get(*index).copied().ok_or_else(|| {
                Error::Internal(format!("demo commitment #{index} missing in {}", spec.code))
            })?;
            Ok(report_indicator_value::ActiveModel {
                id: NotSet,
                report_id: Set(inserted.id),
                commitment_id: Set(commitment_id),
                value: Set(*value),
                note: Set(None),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    report_indicator_value::Entity::insert_many(values)
        .exec_without_returning(seeder.txn)
        .await?;
    Ok(())
}
