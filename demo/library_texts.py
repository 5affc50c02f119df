# ruff: noqa: E501 - prose
"""The fictional demo library: learning briefs, executive summaries and QA letters.

Written for this project; every person, place and review is invented. Each entry becomes a
.docx, .pdf, .md, .html or .txt file so that every extractor runs when the demo is built.
"""

DOCUMENTS = [
    {
        "file": "learning-brief-coercive-control.docx",
        "title": "Learning brief: recognising coercive control before it escalates",
        "kind": "learning brief",
        "access": "public",
        "year": 2025,
        "sections": [
            (
                "What happened",
                [
                    "Nadia (a pseudonym) was 34 when she was killed by her husband. In the two years before her death she "
                    "had contact with her GP, a health visitor, the police and her employer. None of them saw physical "
                    "injuries, and none asked about control. Her sister told the review that Nadia had to send photographs "
                    "to show where she was, had no bank card of her own and was not allowed to see friends.",
                ],
            ),
            (
                "What we learned",
                [
                    "Coercive and controlling behaviour was present for years but was never named. Practitioners looked "
                    "for incidents of violence and found none, so they recorded that there were no domestic abuse "
                    "concerns. The pattern of isolation, monitoring and financial restriction was visible only when the "
                    "information held by different agencies was put side by side.",
                    "Staff told the panel they were unsure what to do with a disclosure that did not involve violence, "
                    "and that they did not think a criminal offence could be involved.",
                ],
            ),
            (
                "What agencies will do",
                [
                    "Front-line staff will be trained to ask about control, not only about injuries: who manages the "
                    "money, whether the person can see family and friends, whether their phone is checked. Safeguarding "
                    "leads will audit records for repeated low-level concerns. The partnership will promote the offence "
                    "of controlling or coercive behaviour so that police officers consider it at every call-out.",
                ],
            ),
        ],
    },
    {
        "file": "learning-brief-stalking.pdf",
        "title": "Learning brief: stalking after separation",
        "kind": "learning brief",
        "access": "public",
        "year": 2024,
        "sections": [
            (
                "Summary",
                [
                    "Kirsty (a pseudonym) ended her relationship in March. Over the next five months she reported 23 "
                    "separate incidents to the police: messages from new numbers, her ex-partner waiting outside her "
                    "workplace, a tracking device found on her car. Each report was recorded and investigated on its own "
                    "as harassment or criminal damage. She was killed in August.",
                ],
            ),
            (
                "Findings",
                [
                    "No single officer saw the whole pattern. The risk assessment completed after the first report was "
                    "never revisited, although the behaviour escalated and became fixated and obsessive. Stalking "
                    "screening questions were not used, and no referral was made to the specialist stalking advocacy "
                    "service. The victim said she felt she was wasting police time.",
                    "Separation is a time of heightened risk. Fixation, surveillance and threats after a relationship "
                    "ends are strong warning signs of homicide and must trigger a fresh risk assessment.",
                ],
            ),
            (
                "Recommendations",
                [
                    "The police will link repeat reports from the same victim so that a course of conduct is recognised "
                    "and investigated as stalking. Call handlers will use stalking screening questions. Victims will be "
                    "referred to specialist advocacy and offered a stalking protection order application.",
                ],
            ),
        ],
    },
    {
        "file": "executive-summary-economic-abuse.md",
        "title": "Executive summary: economic abuse and debt",
        "kind": "executive summary",
        "access": "partners",
        "year": 2025,
        "sections": [
            (
                "Introduction",
                [
                    "This summary concerns the death of Brenda (a pseudonym), aged 58. The review found that economic abuse "
                    "had shaped her life for many years. Her partner controlled her wages, took out loans in her name and "
                    "left her with rent arrears that the housing association pursued through the courts.",
                ],
            ),
            (
                "Key findings",
                [
                    "Brenda told a debt adviser that she did not know what bills were in her name. The adviser helped her "
                    "set up a repayment plan but did not ask why she had no access to her own account. The housing "
                    "officer recorded the arrears as a tenancy management issue. Neither service recognised money being "
                    "used as a tool of control, and neither knew about the other's contact.",
                    "Banks, creditors and advice services are often the first to see economic abuse. They are rarely "
                    "invited to review panels and seldom part of local training.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Advice services and the housing provider will include questions about financial control in their "
                    "assessments. The partnership will invite financial services to its domestic abuse forum and will "
                    "produce guidance on coerced debt. Rent arrears caused by a perpetrator should not lead to eviction "
                    "of the victim without a safeguarding discussion.",
                ],
            ),
        ],
    },
    {
        "file": "learning-brief-older-victims.html",
        "title": "Learning brief: older people and domestic abuse by family members",
        "kind": "learning brief",
        "access": "public",
        "year": 2023,
        "sections": [
            (
                "Background",
                [
                    "Harold (a pseudonym) was 81 and lived with his adult son, who was his main carer. He died after a "
                    "fall at home; the son was later convicted of manslaughter. Harold had been seen by district nurses, "
                    "a day centre, adult social care and his GP in the year before his death.",
                ],
            ),
            (
                "What the review found",
                [
                    "Professionals saw bruising and weight loss but attributed them to frailty and dementia. The son was "
                    "treated as a stressed carer who needed support rather than as a possible abuser. Harold was never "
                    "seen alone. The carer's assessment focused on the son's needs and did not ask about the "
                    "relationship.",
                    "Domestic abuse of older people is often hidden behind the language of care. Adult safeguarding and "
                    "domestic abuse services worked in parallel and did not share what they knew.",
                ],
            ),
            (
                "Learning for practice",
                [
                    "See older people alone. Ask direct questions about fear, money and control even when the suspected "
                    "abuser is a carer or an adult child. Use the DASH risk checklist with older victims and refer to "
                    "MARAC when the risk is high.",
                ],
            ),
        ],
    },
    {
        "file": "learning-brief-substance-misuse-mental-health.txt",
        "title": "Learning brief: substance misuse, mental health and multiple disadvantage",
        "kind": "learning brief",
        "access": "public",
        "year": 2024,
        "sections": [
            (
                "The person at the centre of this review",
                [
                    "Danielle (a pseudonym) used alcohol and heroin and had a long history of depression and self-harm. "
                    "She was known to the drug and alcohol service, the community mental health team, probation and "
                    "homelessness services. Her partner was also a service user and had convictions for violence.",
                ],
            ),
            (
                "What went wrong",
                [
                    "Each service focused on its own criteria. The mental health team would not assess while she was "
                    "using drugs; the substance misuse service said her mental health needed treating first. Missed "
                    "appointments led to discharge. Her disclosures of violence were recorded but seen as part of a "
                    "chaotic lifestyle rather than as abuse that was driving her drinking and self-harm.",
                    "Dual diagnosis was treated as a reason to exclude rather than a reason to work together.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Services will agree a joint protocol for people with co-occurring substance misuse and mental "
                    "health needs. Discharge for non-attendance will require a check for domestic abuse. A lead "
                    "professional will be named for people facing multiple disadvantage.",
                ],
            ),
        ],
    },
    {
        "file": "executive-summary-housing.docx",
        "title": "Executive summary: housing, homelessness and safety",
        "kind": "executive summary",
        "access": "partners",
        "year": 2022,
        "sections": [
            (
                "Summary of the case",
                [
                    "Tanya (a pseudonym) approached the council's housing options team three times asking to move because "
                    "her ex-partner knew where she lived. She was told she was not homeless because she had a tenancy, "
                    "and was advised to apply for a transfer, which had a waiting time of two years.",
                ],
            ),
            (
                "Analysis",
                [
                    "The housing team did not complete a domestic abuse risk assessment and did not refer her to the "
                    "independent domestic violence adviser. Under the Domestic Abuse Act a person who is homeless as a "
                    "result of domestic abuse has priority need; staff were not confident applying this when the victim "
                    "still had somewhere to live. Sanctuary measures were not offered.",
                    "The landlord repaired damage to her door on four occasions without asking how it had happened.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Housing officers and repairs staff will be trained to recognise domestic abuse and to refer. The "
                    "housing options service will treat a credible threat at home as grounds for a homelessness "
                    "application. The partnership will seek accreditation for its housing providers.",
                ],
            ),
        ],
    },
    {
        "file": "learning-brief-gp-health.pdf",
        "title": "Learning brief: GPs and health services missing the signs",
        "kind": "learning brief",
        "access": "public",
        "year": 2025,
        "sections": [
            (
                "Context",
                [
                    "In most reviews the victim saw a GP in the year before they died. This brief draws on four local "
                    "reviews in which health contact was frequent: anxiety, insomnia, repeated minor injuries, "
                    "gynaecological problems and requests for sick notes.",
                ],
            ),
            (
                "Themes",
                [
                    "Consultations were short and focused on the presenting problem. Patients were often accompanied by "
                    "their partner, who sometimes answered for them. Clinicians did not routinely ask about domestic "
                    "abuse and said they feared causing offence or did not know where to refer. Records of disclosures "
                    "to one practitioner were not flagged, so the next clinician did not know.",
                    "Where practices had trained staff and a direct referral route to a specialist service, disclosures "
                    "were more frequent and were acted on.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Every practice should have a domestic abuse lead, training for clinical and reception staff, a "
                    "safe way to see patients alone, and a coded record that alerts other clinicians. Emergency "
                    "departments and maternity services should ask routinely.",
                ],
            ),
        ],
    },
    {
        "file": "learning-brief-information-sharing.md",
        "title": "Learning brief: information sharing between agencies",
        "kind": "learning brief",
        "access": "public",
        "year": 2023,
        "sections": [
            (
                "Why this matters",
                [
                    "Almost every review finds that agencies held pieces of information that, put together, would have "
                    "shown the risk. Police held call-outs, the hospital held injuries, probation knew of the "
                    "perpetrator's history, and the school knew the children were frightened.",
                ],
            ),
            (
                "Barriers the panel found",
                [
                    "Practitioners were uncertain about data protection and consent and so shared nothing. Some believed "
                    "they needed the victim's permission in all cases. Referrals were sent by email to generic "
                    "inboxes and not acknowledged. Probation did not know that the perpetrator had a new partner, so "
                    "the new partner was never told about his history.",
                    "Data protection law allows sharing without consent to protect someone from serious harm.",
                ],
            ),
            (
                "What will change",
                [
                    "The partnership will publish a one-page guide to lawful information sharing. Agencies will use the "
                    "disclosure scheme to tell new partners about a history of abuse when that is justified. Referrals "
                    "will be acknowledged within one working day.",
                ],
            ),
        ],
    },
    {
        "file": "qa-letter-dhr-2025-04.docx",
        "title": "Home Office QA panel letter: DHR-2025-04",
        "kind": "QA letter",
        "access": "confidential",
        "year": 2026,
        "review": "DHR-2025-04",
        "sections": [
            (
                "Outcome",
                [
                    "The Home Office Quality Assurance Panel considered the overview report and executive summary at its "
                    "meeting. The panel asks the partnership to revise and resubmit the report before it is published.",
                ],
            ),
            (
                "Areas for development",
                [
                    "1. The analysis describes events in sequence but does not analyse why agencies acted as they did. "
                    "Please add analysis of the decisions made at each significant contact.",
                    "2. Coercive and controlling behaviour is mentioned in the chronology but not explored. The panel "
                    "would like the report to consider the pattern of control over the victim's finances and movements.",
                    "3. The recommendations are not SMART and several are not linked to findings. Please revise them and "
                    "the action plan accordingly.",
                    "4. The executive summary gives a different date for the first police contact from the overview "
                    "report. Please make them consistent.",
                    "5. The report does not describe how the family were involved. Please set out how they were "
                    "approached and how their views shaped the review.",
                ],
            ),
        ],
    },
    {
        "file": "learning-brief-marac-risk.html",
        "title": "Learning brief: risk assessment and MARAC",
        "kind": "learning brief",
        "access": "partners",
        "year": 2024,
        "sections": [
            (
                "The issue",
                [
                    "In three local reviews a DASH risk checklist was completed and scored as medium risk, and the case "
                    "was not referred to the multi-agency risk assessment conference. In each case professional "
                    "judgement about escalation, strangulation and separation should have led to a referral.",
                ],
            ),
            (
                "What we found",
                [
                    "Practitioners relied on the score rather than on professional judgement. Non-fatal strangulation "
                    "was recorded but its significance was not understood. Repeat incidents within a year were not "
                    "counted because they were recorded by different teams. MARAC actions were agreed but not followed "
                    "up, and no agency checked that the safety plan was in place.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Strangulation, stalking and recent separation will prompt referral whatever the score. MARAC "
                    "actions will be tracked to completion and reviewed at the next meeting. Repeat referrals will be "
                    "identified automatically.",
                ],
            ),
        ],
    },
    {
        "file": "executive-summary-children.pdf",
        "title": "Executive summary: children living with domestic abuse",
        "kind": "executive summary",
        "access": "partners",
        "year": 2023,
        "sections": [
            (
                "Introduction",
                [
                    "Two children aged 7 and 11 were at home when their mother was killed. They had been known to "
                    "children's social care for four years, with referrals from the school and from the police after "
                    "incidents at the home.",
                ],
            ),
            (
                "Findings",
                [
                    "Each referral was assessed as a single incident and closed when the parents said they had "
                    "separated. The children were rarely spoken to on their own. The school noticed that the older "
                    "child was withdrawn and often late but did not connect this with the police notifications it "
                    "received through the Operation Encompass scheme. The children's voice is largely absent from "
                    "agency records.",
                    "Children who live with domestic abuse are victims in their own right.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Social workers will review the history of previous referrals before closing a case. Schools will "
                    "record and act on Encompass notifications. Children will be seen alone and their words recorded.",
                ],
            ),
        ],
    },
    {
        "file": "learning-brief-faith-culture.txt",
        "title": "Learning brief: faith, culture and so-called honour-based abuse",
        "kind": "learning brief",
        "access": "public",
        "year": 2022,
        "sections": [
            (
                "Background",
                [
                    "Leila (a pseudonym) was 24 and had come to the UK after her marriage. She was killed by her husband "
                    "with the involvement of his family. She had spoken to a community worker and to a faith leader "
                    "about her unhappiness.",
                ],
            ),
            (
                "Learning",
                [
                    "Professionals assumed that family and community would protect her, and sometimes used family "
                    "members as interpreters. The faith leader advised reconciliation. The risks of forced marriage "
                    "and so-called honour-based abuse, where several family members may be involved, were not "
                    "recognised. Leila had no friends outside the household and limited English.",
                    "Cultural sensitivity must never become a reason not to act.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Always use independent, professional interpreters. Train community and faith leaders to recognise "
                    "abuse and to refer to specialist services run by and for minoritised women. Consider honour-based "
                    "abuse when more than one family member is involved.",
                ],
            ),
        ],
    },
    {
        "file": "national-analysis-immigration-status.md",
        "title": "Thematic analysis: immigration status as a barrier to help",
        "kind": "national analysis",
        "access": "public",
        "year": 2025,
        "sections": [
            (
                "Scope",
                [
                    "This fictional thematic analysis looks at eight reviews in which the victim had insecure "
                    "immigration status, a spousal visa or no recourse to public funds.",
                ],
            ),
            (
                "Themes",
                [
                    "Perpetrators used immigration status as a tool of control: threatening deportation, withholding "
                    "passports and telling victims that the police would report them to the Home Office. Victims did "
                    "not know that they might be entitled to support through the domestic violence concession. "
                    "Refuges could not accept women without recourse to public funds, and local authorities were "
                    "unsure of their duties.",
                    "Fear of immigration enforcement stopped victims from reporting crimes.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Local partnerships should fund refuge spaces for women with no recourse to public funds, train "
                    "staff on the domestic violence concession and publicise that reporting abuse will not lead to "
                    "immigration enforcement.",
                ],
            ),
        ],
    },
    {
        # a published review's own summary: its local recommendations are the plan's (DHR-2024-09 in
        # demo/plans.py), its national ones are asked of government departments, as real reports' are
        "file": "executive-summary-dhr-2024-09.pdf",
        "title": "Executive summary: the death of Alex (DHR-2024-09)",
        "kind": "executive summary",
        "access": "public",
        "year": 2025,
        "review": "DHR-2024-09",
        "sections": [
            (
                "Introduction",
                [
                    "This is the executive summary of Domestic Homicide Review DHR-2024-09, published by the "
                    "partnership after the Home Office quality assurance panel approved the report. Alex (a "
                    "pseudonym chosen with her family) was 34 when she was killed at her home by her former partner, "
                    "who was convicted of her murder. They had separated eight months before her death.",
                ],
            ),
            (
                "Key findings",
                [
                    "Alex reported her former partner to the police 23 times after they separated: messages, "
                    "following her to work and damage to her front door. Each report was recorded and closed on its "
                    "own, and no officer saw the pattern of stalking.",
                    "She saw her GP 11 times in the year before her death with anxiety and poor sleep, and was never "
                    "asked about abuse. Her landlord repaired the door four times without asking how it was damaged.",
                    "Alex asked the Jobcentre to change the times of her appointments because her former partner "
                    "waited for her outside. The request was recorded as a scheduling matter; nobody asked why, and "
                    "the risk was not shared. The review panel could not obtain the Jobcentre's records until late in "
                    "the review, because the statutory guidance does not name the Department for Work and Pensions "
                    "among the agencies a panel should approach.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Local recommendations",
                    "1. All GP practices to adopt routine enquiry about domestic abuse and a coded record alert.",
                    "2. Police to link repeat reports from the same victim so that stalking is recognised.",
                    "3. Housing providers to train repairs staff to recognise and refer domestic abuse.",
                    "National recommendations",
                    "4. The Department for Work and Pensions to train Jobcentre Plus staff to ask about a claimant's "
                    "safety when she says that a partner or former partner is following or threatening her, to offer "
                    "a referral to local domestic abuse services and to record the risk so that it can be shared.",
                    "5. The Home Office to amend the statutory guidance for Domestic Homicide Reviews so that review "
                    "panels seek information from the Department for Work and Pensions whenever the victim or the "
                    "perpetrator was claiming benefits.",
                ],
            ),
        ],
    },
]
