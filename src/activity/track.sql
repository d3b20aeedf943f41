-- iam2sso track: the table over the organization trail (Athena) and the queries that run unchanged in Amazon
-- Athena (Trino) and in DuckDB (--dir, --s3). Only the SQL both share is used: struct field access, CASE,
-- count/min/max/min_by/max_by, json_extract_scalar (DuckDB gets it as a macro), GROUP BY ordinals, "quoted"
-- identifiers. Sections start with `-- name:`; `?` are positional parameters (Athena ExecutionParameters,
-- DuckDB prepared values); {{...}} in the DDL are filled in by iam2sso from validated values.

-- name: create-table
-- The organization trail's table with partition projection: no crawler, no ALTER TABLE ADD PARTITION.
-- Columns: https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
-- Organization trail layout (account in the path):
-- https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-org-wide-trail.html
CREATE EXTERNAL TABLE IF NOT EXISTS {{table}} (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING,
    principalid: STRING,
    arn: STRING,
    accountid: STRING,
    invokedby: STRING,
    accesskeyid: STRING,
    username: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      sourceidentity: STRING>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  sessioncredentialfromconsole STRING
)
PARTITIONED BY (account STRING, region STRING, `timestamp` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '{{location}}'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.account.type' = 'enum',
  'projection.account.values' = '{{accounts}}',
  'projection.region.type' = 'enum',
  'projection.region.values' = '{{regions}}',
  'projection.timestamp.type' = 'date',
  'projection.timestamp.format' = 'yyyy/MM/dd',
  'projection.timestamp.interval' = '1',
  'projection.timestamp.interval.unit' = 'DAYS',
  'projection.timestamp.range' = '{{start}},NOW',
  'storage.location.template' = '{{location}}${account}/CloudTrail/${region}/${timestamp}'
)

-- name: activity
-- One row per group of records that src/core/track-classify.ts treats alike, with the first and last event
-- as evidence. Only identities that can be legacy or SSO use are grouped (IAM users, Identity Center users,
-- SAML users, AWSReservedSSO_ role sessions); the others are counted by the `identity-types` query.
-- Parameters: first partition day ('YYYY/MM/DD'), since and until (eventTime, ISO 8601).
SELECT
  recipientaccountid AS account_id,
  awsregion AS region,
  eventsource AS event_source,
  eventname AS event_name,
  useridentity.type AS identity_type,
  useridentity.arn AS arn,
  useridentity.username AS user_name,
  -- Only an IAM user's key says which credential was used; role session keys change every hour.
  CASE WHEN useridentity.type = 'IAMUser' THEN useridentity.accesskeyid END AS access_key_id,
  useridentity.onbehalfof.userid AS on_behalf_of_user_id,
  useridentity.onbehalfof.identitystorearn AS identity_store_arn,
  useridentity.sessioncontext.sessionissuer.arn AS issuer_arn,
  CASE WHEN sessioncredentialfromconsole = 'true' THEN 'true' ELSE 'false' END AS session_from_console,
  json_extract_scalar(additionaleventdata, '$.MFAUsed') AS mfa_used,
  json_extract_scalar(responseelements, '$.ConsoleLogin') AS login_result,
  errorcode AS error_code,
  json_extract_scalar(requestparameters, '$.principalArn') AS saml_provider,
  json_extract_scalar(requestparameters, '$.roleArn') AS role_arn,
  -- The session name only where it names a person (AssumeRoleWithSAML), so AssumeRole calls stay one group.
  CASE WHEN eventname = 'AssumeRoleWithSAML' THEN json_extract_scalar(requestparameters, '$.roleSessionName') END
    AS session_name,
  json_extract_scalar(requestparameters, '$.accountId') AS target_account_id,
  json_extract_scalar(requestparameters, '$.roleName') AS target_role_name,
  count(*) AS events,
  min(eventtime) AS first_time,
  max(eventtime) AS last_time,
  -- Events of the same second are ordered by id, so every source picks the same evidence.
  min_by(eventid, eventtime || eventid) AS first_event_id,
  max_by(eventid, eventtime || eventid) AS last_event_id,
  max_by(sourceipaddress, eventtime || eventid) AS last_source_ip,
  max_by(useragent, eventtime || eventid) AS last_user_agent
FROM {{table}}
WHERE "timestamp" >= ?
  AND eventtime >= ?
  AND eventtime <= ?
  AND (
    useridentity.type IN ('IAMUser', 'IdentityCenterUser', 'Unknown', 'SAMLUser')
    OR (useridentity.type = 'AssumedRole'
        AND useridentity.sessioncontext.sessionissuer.arn LIKE '%:role/aws-reserved/sso.amazonaws.com/%')
  )
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20

-- name: identity-types
-- How many records of each identity type the window holds, with one event id each (to name unknown types).
-- Parameters: first partition day, since, until.
SELECT
  coalesce(useridentity.type, '') AS identity_type,
  count(*) AS events,
  max(eventid) AS example_event_id
FROM {{table}}
WHERE "timestamp" >= ?
  AND eventtime >= ?
  AND eventtime <= ?
GROUP BY 1

-- name: future
-- Records dated after the run started: skipped and named. Parameters: first partition day, until.
SELECT
  eventid AS event_id,
  eventtime AS event_time,
  recipientaccountid AS account_id,
  count(*) OVER () AS total
FROM {{table}}
WHERE "timestamp" >= ?
  AND eventtime > ?
ORDER BY eventtime
LIMIT 20
