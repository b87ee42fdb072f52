/**
 * The import wizard: upload a CSV or XLSX file, map its columns (CSV), check it (dry run:
 * a table naming the row and column of every problem), then commit. And the export.
 */
import {
  Alert,
  Anchor,
  Button,
  FileInput,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  fieldForHeader,
  importFields,
  requiredFields,
} from '../../../src/shared/import-columns.js';
import { apiBase, request } from '../api/client';
import { PageHeader, ProblemAlert } from '../components/Page';
import { decodeCsv, readCsvHeader, replaceCsvHeader, type CsvHeader } from '../lib/csv-header';
import { useCount, useFormat } from '../lib/format';
import { fieldErrors } from '../lib/problems';
import { duplicateReason } from './households/common';
import { useCan } from '../lib/use-can';

const csvType = 'text/csv';
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ignored = '';

interface RowIssue {
  row: number;
  column: string | null;
  cell?: string;
  code: string;
  message: string;
  existing_household_id?: string;
  other_row?: number;
}

interface ImportReport {
  accepted: number;
  rejected: RowIssue[];
  duplicates: {
    row: number;
    existing_household_id?: string;
    other_row?: number;
    reason: string;
    score?: number;
  }[];
  warnings: RowIssue[];
  committed: boolean;
  dry_run: boolean;
  rows: number;
  valid: number;
  rejected_rows: number;
}

interface Prepared {
  name: string;
  type: string;
  /** The CSV text and its header; null for XLSX (the server matches its headers). */
  text: string | null;
  header: CsvHeader | null;
  bytes: ArrayBuffer;
}

function upload(
  prepared: Prepared,
  mapping: string[],
  query: { dry_run?: boolean; skip_invalid?: boolean },
) {
  let body: Blob;
  if (prepared.text !== null && prepared.header) {
    const changed = mapping.some(
      (field, index) => field !== (fieldForHeader(prepared.header?.cells[index] ?? '') ?? ignored),
    );
    // Renamed headers are the canonical field names; an ignored column gets a name no field claims.
    const cells = mapping.map((field, index) => field || `ignored_${index + 1}`);
    body = changed
      ? new Blob([replaceCsvHeader(prepared.text, prepared.header, cells)], { type: csvType })
      : new Blob([prepared.bytes], { type: csvType });
  } else {
    body = new Blob([prepared.bytes], { type: prepared.type });
  }
  return request<ImportReport>('POST', '/imports/households', {
    raw: body,
    headers: { 'content-type': prepared.type },
    query,
  });
}

function IssueMessage({ issue }: { issue: { code: string; message: string } }) {
  const { t } = useTranslation();
  return (
    <>
      {t(`fieldErrors.${issue.code}`, { defaultValue: '' }) ||
        t(`problems.${issue.code}`, { defaultValue: issue.message })}
    </>
  );
}

function Report({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const columnName = (column: string | null) =>
    column ? t(`households.fields.${column}`, { defaultValue: column }) : '—';
  return (
    <Stack gap="md" data-testid="import-report">
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">
            {t('import.rows')}
          </Text>
          <Text fw={700} className="numeric">
            {format.number(report.rows)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">
            {t('import.valid')}
          </Text>
          <Text fw={700} c="teal.9" className="numeric">
            {format.number(report.valid)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed">
            {t('import.rejectedRows')}
          </Text>
          <Text
            fw={700}
            c={report.rejected_rows > 0 ? 'red.9' : undefined}
            className="numeric"
            data-testid="rejected-rows"
          >
            {format.number(report.rejected_rows)}
          </Text>
        </Paper>
        {!report.dry_run && (
          <Paper withBorder p="sm">
            <Text size="xs" c="dimmed">
              {t('import.accepted')}
            </Text>
            <Text fw={700} className="numeric" data-testid="accepted">
              {format.number(report.accepted)}
            </Text>
          </Paper>
        )}
      </SimpleGrid>
      {report.rejected.length > 0 && (
        <>
          <Title order={3} size="h4">
            {t('import.problems')}
          </Title>
          <Table.ScrollContainer minWidth={520}>
            <Table striped data-testid="import-problems">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('import.row')}</Table.Th>
                  <Table.Th>{t('import.column')}</Table.Th>
                  <Table.Th>{t('import.cell')}</Table.Th>
                  <Table.Th>{t('import.problem')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rejected.map((issue, index) => (
                  <Table.Tr key={index}>
                    <Table.Td className="numeric">{format.number(issue.row)}</Table.Td>
                    <Table.Td>{columnName(issue.column)}</Table.Td>
                    <Table.Td className="ltr-value">{issue.cell ?? ''}</Table.Td>
                    <Table.Td>
                      <IssueMessage issue={issue} />
                      {issue.existing_household_id && (
                        <Anchor
                          component={Link}
                          to={`/households/${issue.existing_household_id}`}
                          ms={6}
                          size="sm"
                        >
                          {t('households.openExisting')}
                        </Anchor>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
      {report.duplicates.length > 0 && (
        <>
          <Title order={3} size="h4">
            {t('import.duplicates')}
          </Title>
          <Table striped>
            <Table.Tbody>
              {report.duplicates.map((duplicate, index) => (
                <Table.Tr key={index}>
                  <Table.Td>{t('import.rowN', { row: format.number(duplicate.row) })}</Table.Td>
                  <Table.Td>{duplicateReason(t, duplicate.reason)}</Table.Td>
                  <Table.Td>
                    {duplicate.other_row !== undefined &&
                      t('import.sameAsRow', { row: format.number(duplicate.other_row) })}
                    {duplicate.existing_household_id && (
                      <Anchor
                        component={Link}
                        to={`/households/${duplicate.existing_household_id}`}
                        size="sm"
                      >
                        {t('households.openExisting')}
                      </Anchor>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {report.warnings.length > 0 && (
        <>
          <Title order={3} size="h4">
            {t('import.warnings')}
          </Title>
          <Table striped>
            <Table.Tbody>
              {report.warnings.map((warning, index) => (
                <Table.Tr key={index}>
                  <Table.Td>{t('import.rowN', { row: format.number(warning.row) })}</Table.Td>
                  <Table.Td>{columnName(warning.column)}</Table.Td>
                  <Table.Td>
                    <IssueMessage issue={warning} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

function Export() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="xs">
        {t('import.exportTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('import.exportHint')}
      </Text>
      <Group>
        <Button component="a" variant="light" href={`${apiBase}/exports/households.csv`} download>
          CSV
        </Button>
        <Button component="a" variant="light" href={`${apiBase}/exports/households.xlsx`} download>
          XLSX
        </Button>
      </Group>
    </Paper>
  );
}

export default function Import() {
  const { t } = useTranslation();
  const format = useFormat();
  const count = useCount();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [mapping, setMapping] = useState<string[]>([]);
  const [readProblem, setReadProblem] = useState<string | null>(null);
  const check = useMutation({
    mutationFn: () => upload(prepared as Prepared, mapping, { dry_run: true }),
  });
  const commit = useMutation({
    mutationFn: (skipInvalid: boolean) =>
      upload(prepared as Prepared, mapping, { skip_invalid: skipInvalid }),
  });
  const mayImport = useCan('householdFiles.import');
  const mayExport = useCan('householdFiles.export');

  const fieldOptions = useMemo(
    () => [
      { value: ignored, label: t('import.ignore') },
      ...importFields.map((field) => ({
        value: field,
        label: `${t(`households.fields.${field}`, { defaultValue: field })} (${field})`,
      })),
    ],
    [t],
  );
  const missing = prepared?.header
    ? requiredFields.filter((field) => !mapping.includes(field))
    : [];
  const doubled = mapping.filter((field, index) => field && mapping.indexOf(field) !== index);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setPrepared(null);
    setReadProblem(null);
    check.reset();
    commit.reset();
    if (!chosen) return;
    const isXlsx = /\.xlsx$/iu.test(chosen.name);
    const bytes = await chosen.arrayBuffer();
    if (bytes.byteLength === 0) {
      setReadProblem(t('import.emptyFile'));
      return;
    }
    if (isXlsx) {
      setPrepared({ name: chosen.name, type: xlsxType, text: null, header: null, bytes });
      setMapping([]);
    } else {
      const text = decodeCsv(bytes);
      const header = readCsvHeader(text);
      setPrepared({ name: chosen.name, type: csvType, text, header, bytes });
      setMapping(header.cells.map((cell) => fieldForHeader(cell) ?? ignored));
    }
    setStep(1);
  };

  const runCheck = () => check.mutate(undefined, { onSuccess: () => setStep(2) });
  const checkErrors = fieldErrors(t, check.error);

  return (
    <>
      <PageHeader title={t('import.title')} />
      {mayImport && (
        <Stepper
          active={step}
          onStepClick={(next) => next < step && setStep(next)}
          mb="lg"
          size="sm"
        >
          <Stepper.Step label={t('import.steps.upload')}>
            <Stack gap="sm" maw={560}>
              <FileInput
                label={t('import.file')}
                description={t('import.fileHint')}
                accept=".csv,.xlsx,text/csv"
                value={file}
                onChange={(chosen) => void choose(chosen)}
                clearable
                data-testid="import-file"
              />
              {readProblem && (
                <Alert color="red" role="alert">
                  {readProblem}
                </Alert>
              )}
              <Group gap="xs">
                <Text size="sm">{t('import.template')}</Text>
                <Anchor href={`${apiBase}/imports/households/template.csv`} download size="sm">
                  CSV
                </Anchor>
                <Anchor href={`${apiBase}/imports/households/template.xlsx`} download size="sm">
                  XLSX
                </Anchor>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label={t('import.steps.map')}>
            <Stack gap="sm">
              {prepared?.header ? (
                <>
                  <Text size="sm">{t('import.mapHint')}</Text>
                  <Table.ScrollContainer minWidth={420}>
                    <Table data-testid="column-mapping">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>{t('import.fileColumn')}</Table.Th>
                          <Table.Th>{t('import.awnField')}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {prepared.header.cells.map((cell, index) => (
                          <Table.Tr key={index}>
                            <Table.Td>{cell || t('import.unnamed', { index: index + 1 })}</Table.Td>
                            <Table.Td>
                              <Select
                                aria-label={t('import.fieldFor', { column: cell || index + 1 })}
                                data={fieldOptions}
                                value={mapping[index] ?? ignored}
                                allowDeselect={false}
                                searchable
                                onChange={(value) =>
                                  setMapping(
                                    mapping.map((field, at) =>
                                      at === index ? (value ?? ignored) : field,
                                    ),
                                  )
                                }
                                error={
                                  doubled.includes(mapping[index] ?? '')
                                    ? t('import.doubled')
                                    : undefined
                                }
                              />
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                  {missing.length > 0 && (
                    <Alert color="orange" role="alert">
                      {t('import.missing', {
                        fields: missing
                          .map((field) => t(`households.fields.${field}`))
                          .join(t('common.listSeparator')),
                      })}
                    </Alert>
                  )}
                </>
              ) : (
                <Alert color="blue">{t('import.xlsxMapped')}</Alert>
              )}
              <ProblemAlert error={check.error} />
              {Object.entries(checkErrors).map(([path, message]) => (
                <Text key={path} c="red" size="sm">
                  {t(`households.fields.${path.replace(/^columns\./u, '')}`, {
                    defaultValue: path,
                  })}
                  : {message}
                </Text>
              ))}
              <Group>
                <Button
                  onClick={runCheck}
                  loading={check.isPending}
                  disabled={missing.length > 0 || doubled.length > 0}
                >
                  {t('import.check')}
                </Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label={t('import.steps.check')}>
            <Stack gap="md">
              {check.data && <Report report={check.data} />}
              <ProblemAlert error={commit.error} />
              {check.data && (
                <Group>
                  <Button
                    onClick={() => commit.mutate(false, { onSuccess: () => setStep(3) })}
                    loading={commit.isPending}
                    disabled={check.data.rejected_rows > 0}
                  >
                    {t('import.commitAll', { n: format.number(check.data.valid) })}
                  </Button>
                  {check.data.rejected_rows > 0 && check.data.valid > 0 && (
                    <Button
                      color="orange"
                      variant="light"
                      onClick={() => commit.mutate(true, { onSuccess: () => setStep(3) })}
                      loading={commit.isPending}
                    >
                      {t('import.commitValid')}
                    </Button>
                  )}
                  <Button variant="default" onClick={() => setStep(0)}>
                    {t('import.fixAndRetry')}
                  </Button>
                </Group>
              )}
            </Stack>
          </Stepper.Step>
          <Stepper.Completed>
            <Stack gap="md">
              {commit.data && (
                <>
                  <Alert
                    color={commit.data.committed ? 'teal' : 'red'}
                    role="status"
                    data-testid="import-done"
                  >
                    {commit.data.committed
                      ? t('import.done', { n: count('households', commit.data.accepted) })
                      : t('import.notCommitted')}
                  </Alert>
                  <Report report={commit.data} />
                </>
              )}
              <Group>
                <Button component={Link} to="/households">
                  {t('households.title')}
                </Button>
                <Button
                  variant="default"
                  onClick={() => {
                    setStep(0);
                    void choose(null);
                  }}
                >
                  {t('import.another')}
                </Button>
              </Group>
            </Stack>
          </Stepper.Completed>
        </Stepper>
      )}
      {mayExport && <Export />}
    </>
  );
}
