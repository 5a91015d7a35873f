Ó
tE
C
Placeholder
output"dtype"
dtypetype"
shapeshape:"serve*2.21.02v2.21.0-rc1-5-ga481b10260d8’
j
v2_in_xPlaceholder*'
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
c
v2_out_sPlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
d
	v2_in_idsPlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0	*
shape:ÿÿÿÿÿÿÿÿÿ
g
v2_out_labelPlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
k
v2_out_yPlaceholder*'
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ"ª*q
scoresg
%
x 
	v2_in_x:0ÿÿÿÿÿÿÿÿÿ"
s

v2_out_s:0ÿÿÿÿÿÿÿÿÿtensorflow/serving/predict*Ò
serving_default¾
%
ids
v2_in_ids:0	ÿÿÿÿÿÿÿÿÿ
%
x 
	v2_in_x:0ÿÿÿÿÿÿÿÿÿ*
label!
v2_out_label:0ÿÿÿÿÿÿÿÿÿ&
y!

v2_out_y:0ÿÿÿÿÿÿÿÿÿtensorflow/serving/predict