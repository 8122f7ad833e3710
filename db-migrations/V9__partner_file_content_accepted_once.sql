-- The same content is accepted once per dataset, even when two instances decide two copies at the
-- same moment: the second decision fails, the file stays VALIDATING and is taken up again as DUPLICATE.
drop index partner_file_sha;
create unique index partner_file_accepted_content on partner_file (dataset, sha256) where state = 'ACCEPTED';
